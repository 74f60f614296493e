import { readFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { parseUsageFile } from '../domain/usage/usage-file.js';
import { generateUsage, importUsageRecords, type UsageImportSummary } from '../domain/usage/usage.service.js';
import { LOCKED_AFTER_DAYS } from '../vocabulary/usage.js';
import { withDatabase } from './keys.js';

// Operator commands for usage cost: records come only from here and from the
// seed fixture, never from the public API, which only reads them.

interface UsageFlags {
  org: string;
  database?: string;
  json?: boolean;
}

function printSummary(summary: UsageImportSummary, json: boolean | undefined, verb: string): void {
  if (json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else process.stdout.write(`${verb} ${summary.imported} usage record${summary.imported === 1 ? '' : 's'} (${summary.replaced} replaced).\n`);
}

function parseSeed(value: string): number {
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(Number(value))) throw new InvalidArgumentError('must be an integer');
  return Number(value);
}

/** The `usage` command group; the client's `usage get` joins it (client/usage.ts). */
export function registerUsage(program: Command): Command {
  const usage = program.command('usage').description('usage cost: import or generate records (operator commands), read them over the HTTP API (get)');

  usage
    .command('import')
    .description(`import usage records from a JSON lines or CSV file, all or nothing (records more than ${LOCKED_AFTER_DAYS} days old are locked: they cannot be replaced)`)
    .argument('<file>', 'a .csv file (with a header line) or a JSON lines file (anything else)')
    .requiredOption('--org <id>', 'organization ID', (v: string) => v.toLowerCase())
    .option('--database <url>', 'database URL [env ORGPLANE_DATABASE_URL] (default sqlite:./data/orgplane.db)')
    .option('--json', 'print {"imported":N,"replaced":M}')
    .addHelpText(
      'after',
      '\nJSON lines: one object per line, e.g.\n' +
        '  {"date":"2026-11-29","entityType":"service","entityId":"3f0c…","entityName":"analytics","dataWarehouseId":"a8d4…","serviceId":"3f0c…","metrics":{"computeCHC":"86.4125"},"tags":{"env":"prod"}}\n' +
        'CSV: a header of date,entityType,entityId,entityName,dataWarehouseId,serviceId, metric columns (computeCHC, storageCHC, …) and tag:KEY columns.\n' +
        '\nExample:\n  orgplane usage import november.csv --org 2b1c…',
    )
    .action(async (file: string, flags: UsageFlags) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        process.stderr.write(`orgplane: cannot read ${file}: ${(err as Error).message}\n`);
        process.exitCode = 1;
        return;
      }
      await withDatabase(flags, async (domain) => {
        printSummary(await importUsageRecords(domain, flags.org, parseUsageFile(file, text, flags.org)), flags.json, 'Imported');
      });
    });

  usage
    .command('generate')
    .description("write plausible usage records for the organization's ClickHouse service records (deterministic: the same seed, period and services give the same records)")
    .requiredOption('--org <id>', 'organization ID', (v: string) => v.toLowerCase())
    .requiredOption('--from <date>', 'first day, YYYY-MM-DD (UTC)')
    .requiredOption('--to <date>', 'last day, YYYY-MM-DD (UTC), at most 30 days after --from')
    .option('--seed <n>', 'seed of the generator (default 0)', parseSeed, 0)
    .option('--database <url>', 'database URL [env ORGPLANE_DATABASE_URL] (default sqlite:./data/orgplane.db)')
    .option('--json', 'print {"imported":N,"replaced":M}')
    .addHelpText('after', '\nExample:\n  orgplane usage generate --org 2b1c… --from 2026-11-01 --to 2026-11-30 --seed 7')
    .action(async (flags: UsageFlags & { from: string; to: string; seed: number }) => {
      await withDatabase(flags, async (domain) => {
        const summary = await generateUsage(domain, flags.org, { from: flags.from, to: flags.to, seed: flags.seed });
        printSummary(summary, flags.json, 'Generated');
        if (summary.imported === 0) process.stderr.write('orgplane: the organization has no ClickHouse service records to generate usage for (add them with `orgplane services add`)\n');
      });
    });
  return usage;
}
