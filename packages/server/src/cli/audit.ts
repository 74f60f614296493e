import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { resolveDatabaseUrl } from '../config.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { verifyActivityChains } from '../domain/activities/activity-audit.js';

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('check the tamper-evident activity log');
  audit
    .command('verify')
    .description('walk every organization activity hash chain; exit 1 naming the first broken link')
    .option('--org <id>', 'verify only this organization')
    .option('--database <url>', 'database URL [env ORGPLANE_DATABASE_URL] (default sqlite:./data/orgplane.db)')
    .addHelpText('after', '\nExamples:\n  orgplane audit verify\n  orgplane audit verify --org 2b1c… --database postgres://orgplane@db:5432/orgplane')
    .action(async (flags: { org?: string; database?: string }) => {
      const database = openDatabase(resolveDatabaseUrl(flags.database, process.env), {}, { mustExist: true });
      // The bar goes to stderr, and only on a terminal, so stdout stays a clean summary.
      const bar = process.stderr.isTTY ? new cliProgress.SingleBar({ stream: process.stderr, format: 'verifying {bar} {value}/{total} activities' }, cliProgress.Presets.shades_classic) : undefined;
      try {
        await migrateToLatest(database);
        let started = false;
        const result = await verifyActivityChains(database.db, {
          ...(flags.org ? { organizationId: flags.org.toLowerCase() } : {}),
          onProgress: (verified, total) => {
            if (!bar) return;
            if (!started) bar.start(total, 0);
            started = true;
            bar.update(verified);
          },
        });
        bar?.stop();
        if (result.broken) {
          const { organizationId, reason } = result.broken;
          process.stderr.write(`orgplane: audit FAILED for organization ${organizationId}: ${reason}\n`);
          process.stdout.write(`${result.activitiesVerified} activities verified before the first broken link.\n`);
          process.exitCode = 1;
        } else {
          process.stdout.write(`OK: ${result.activitiesVerified} activities in ${result.organizations} organization(s) verified; every chain is intact.\n`);
          // The heads, to record outside this database and compare on the next run (docs/SECURITY.md).
          for (const head of result.heads) process.stdout.write(`head ${head.organizationId} #${head.seq} ${head.hash}\n`);
        }
      } finally {
        bar?.stop();
        await database.close();
      }
    });
}
