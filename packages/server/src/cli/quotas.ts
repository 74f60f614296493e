import { Option, type Command } from 'commander';
import { systemActor } from '../domain/actor.js';
import { listQuotas, setQuota, type QuotaSetting } from '../domain/quotas/quota.service.js';
import { QUOTA_CODES } from '../vocabulary/quotas.js';
import type { OrganizationQuota } from '../schemas/quota.js';
import { UsageError } from './client/connection.js';
import { withDatabase } from './keys.js';
import { printTable } from './output.js';

// Operator commands for an organization's quotas: the API only reads them.
// Not recorded in the activity log (the vendor's activity types have none).

function printQuotas(quotas: OrganizationQuota[], json: boolean | undefined): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(quotas)}\n`);
    return;
  }
  printTable(['CODE', 'SCOPE', 'VALUE', 'USAGE', 'ADJUSTABLE'], quotas.map((q) => [q.quotaCode, q.scope, String(q.value), q.usage === undefined ? '-' : String(q.usage), String(q.adjustable)]));
}

interface QuotaFlags {
  org: string;
  database?: string;
  json?: boolean;
}

interface SetFlags extends QuotaFlags {
  code: string;
  value?: string;
  adjustable?: 'true' | 'false';
  notApplicable?: boolean;
}

/** The setting the flags ask for; a usage error (exit 2) when they ask for none. */
function settingOf(flags: SetFlags): QuotaSetting {
  if (flags.notApplicable) return { applies: false };
  if (flags.value === undefined) throw new UsageError('give --value N (optionally with --adjustable) or --not-applicable');
  // The domain names a value that is not a whole number in range; Number('') and Number(' ') are 0, so those are NaN here.
  const value = flags.value.trim() === '' ? Number.NaN : Number(flags.value);
  return { applies: true, value, ...(flags.adjustable === undefined ? {} : { adjustable: flags.adjustable === 'true' }) };
}

export function registerQuotas(program: Command): void {
  const quotas = program.command('quotas').description("set an organization's quotas directly in the database (operator commands)");

  quotas
    .command('set')
    .description('set the value of a quota of an organization (and whether it is adjustable), or make it not apply')
    .requiredOption('--org <id>', 'organization ID', (v: string) => v.toLowerCase())
    .requiredOption('--code <code>', `quota code: ${QUOTA_CODES.join(', ')}`)
    .addOption(new Option('--value <n>', 'the limit, a whole number from 0').conflicts('notApplicable'))
    .addOption(new Option('--adjustable <bool>', 'whether the limit can be raised (default: as it was)').choices(['true', 'false']).conflicts('notApplicable'))
    .option('--not-applicable', 'the quota does not apply: omitted from the list, its GET a 404')
    .option('--database <url>', 'database URL [env ORGPLANE_DATABASE_URL] (default sqlite:./data/orgplane.db)')
    .option('--json', 'print the quotas that apply afterwards as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  orgplane quotas set --org 2b1c… --code services-per-organization --value 50 --adjustable false\n  orgplane quotas set --org 2b1c… --code postgres-services-per-organization --not-applicable',
    )
    .action(async (flags: SetFlags) => {
      let setting: QuotaSetting;
      try {
        setting = settingOf(flags);
      } catch (err) {
        process.stderr.write(`orgplane: ${(err as Error).message}\n`);
        process.exitCode = 2;
        return;
      }
      await withDatabase(flags, async (domain) => {
        await setQuota(domain, flags.org, flags.code, setting, { actor: systemActor('quotas set') });
        printQuotas(await listQuotas(domain.db, flags.org), flags.json);
      });
    });

  quotas
    .command('list')
    .description('list the quotas that apply to an organization, with their usage')
    .requiredOption('--org <id>', 'organization ID', (v: string) => v.toLowerCase())
    .option('--database <url>', 'database URL [env ORGPLANE_DATABASE_URL] (default sqlite:./data/orgplane.db)')
    .option('--json', 'print a JSON array of the quotas, as the API answers them')
    .action(async (flags: QuotaFlags) => {
      await withDatabase(flags, async ({ db }) => printQuotas(await listQuotas(db, flags.org), flags.json));
    });
}
