import type { Command } from 'commander';
import type { paths } from '@orgplane/client';
import { clientAction, withConnectionOptions } from './connection.js';
import { print } from '../output.js';

type Quota = paths['/v1/organizations/{organizationId}/quotas/{quotaCode}']['get']['responses'][200]['content']['application/json']['result'];

function printQuotas(json: boolean | undefined, value: unknown, quotas: Quota[]): void {
  print(
    json,
    value,
    ['CODE', 'NAME', 'SCOPE', 'VALUE', 'USAGE', 'ADJUSTABLE'],
    quotas.map((q) => [q.quotaCode, q.name, q.scope, String(q.value), q.usage === undefined ? '-' : String(q.usage), String(q.adjustable)]),
  );
}

export function registerQuotaCommands(program: Command): void {
  const quota = program.command('quota').description('organization quotas, over the HTTP API');

  withConnectionOptions(quota.command('list').description('list the quotas that apply to the organization, with their usage'))
    .option('--org <id>', 'organization ID (default: the key\'s own)')
    .addHelpText('after', '\nExample:\n  orgplane quota list')
    .action(
      clientAction(async (session) => {
        const organizationId = await session.organizationId();
        const { data } = await session.client.GET('/v1/organizations/{organizationId}/quotas', { params: { path: { organizationId } } });
        printQuotas(session.flags.json, data!.result, data!.result);
      }),
    );

  withConnectionOptions(quota.command('get').description('show one quota').argument('<code>', 'the quota code, e.g. services-per-organization'))
    .option('--org <id>', 'organization ID (default: the key\'s own)')
    .addHelpText('after', '\nExample:\n  orgplane quota get services-per-organization --json')
    .action(
      clientAction(async (session, quotaCode: string) => {
        const organizationId = await session.organizationId();
        const { data } = await session.client.GET('/v1/organizations/{organizationId}/quotas/{quotaCode}', { params: { path: { organizationId, quotaCode } } });
        printQuotas(session.flags.json, data!.result, [data!.result]);
      }),
    );
}
