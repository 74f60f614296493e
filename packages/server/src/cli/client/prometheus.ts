import { Option, type Command } from 'commander';
import { clientAction, withConnectionOptions } from './connection.js';

export function registerPrometheusCommands(program: Command): void {
  withConnectionOptions(program.command('prometheus').description("print the organization's metrics in the Prometheus text format, over the HTTP API"))
    .option('--org <id>', 'organization ID (default: the key\'s own)')
    .addOption(new Option('--filtered-metrics <bool>', 'ask for the filtered list of metrics').choices(['true', 'false']))
    .addHelpText('after', '\nExample:\n  orgplane prometheus --filtered-metrics true')
    .action(
      clientAction(async (session) => {
        const organizationId = await session.organizationId();
        const filtered = (session.flags as { filteredMetrics?: 'true' | 'false' }).filteredMetrics;
        const { data } = await session.client.GET('/v1/organizations/{organizationId}/prometheus', {
          params: { path: { organizationId }, ...(filtered === undefined ? {} : { query: { filtered_metrics: filtered } }) },
          parseAs: 'text',
        });
        // The body is the exposition text itself (it ends in a line feed); --json does not apply to it.
        process.stdout.write(data!);
      }),
    );
}
