import type { Command } from 'commander';
import { resolveDatabaseUrl } from '../config.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (idempotent)')
    .option('--database <url>', 'database URL [env ORGPLANE_DATABASE_URL] (default sqlite:./data/orgplane.db)')
    .action(async (flags: { database?: string }) => {
      const database = openDatabase(resolveDatabaseUrl(flags.database, process.env));
      try {
        const applied = await migrateToLatest(database);
        process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Database is up to date.\n');
      } finally {
        await database.close();
      }
    });
}
