import type { Command } from 'commander';
import type { paths } from '@orgplane/client';
import { clientAction, withConnectionOptions } from './connection.js';
import { print } from '../output.js';

type UsageCost = paths['/v1/organizations/{organizationId}/usageCost']['get']['responses'][200]['content']['application/json']['result'];

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `usage get`, in the `usage` group the operator commands make (cli/usage.ts). */
export function registerUsageCommands(usage: Command): void {
  withConnectionOptions(usage.command('get').description('the usage cost of a period of at most 31 days (UTC), over the HTTP API'))
    .option('--org <id>', 'organization ID (default: the key\'s own)')
    .requiredOption('--from-date <date>', 'first day, YYYY-MM-DD')
    .requiredOption('--to-date <date>', 'last day, YYYY-MM-DD (inclusive, at most 30 days after --from-date)')
    .option('--filter <tag:Key=Value>', 'only records carrying this tag (their own, their service\'s or their data warehouse\'s); repeatable, all must match', collect)
    .addHelpText('after', '\nExamples:\n  orgplane usage get --from-date 2026-11-01 --to-date 2026-11-30\n  orgplane usage get --from-date 2026-11-01 --to-date 2026-11-30 --filter tag:env=prod --json | jq .grandTotalCHC')
    .action(
      clientAction(async (session) => {
        const f = session.flags as { fromDate: string; toDate: string; filter?: string[] };
        const organizationId = await session.organizationId();
        const query = { from_date: f.fromDate, to_date: f.toDate, ...(f.filter ? { filter: f.filter } : {}) };
        const { data } = await session.client.GET('/v1/organizations/{organizationId}/usageCost', { params: { path: { organizationId }, query } });
        const cost: UsageCost = data!.result!;
        print(
          session.flags.json,
          cost,
          ['DATE', 'TYPE', 'ENTITY ID', 'NAME', 'METRICS', 'TOTAL CHC', 'LOCKED'],
          [
            ...cost.costs.map((c) => [
              c.date,
              c.entityType,
              c.entityId,
              c.entityName,
              Object.entries(c.metrics).map(([name, value]) => `${name} ${value}`).join('\n') || '-',
              String(c.totalCHC),
              c.locked ? 'yes' : 'no',
            ]),
            ['', '', '', '', 'grand total', String(cost.grandTotalCHC), ''],
          ],
        );
      }),
    );
}
