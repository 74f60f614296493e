import type { Command } from 'commander';
import { loadDatabaseConfig, type DatabaseFlags } from '../config.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { waitForDatabase } from '../db/reachability.js';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (idempotent; safe to run from several instances at once)')
    .option('--database <url>', 'database URL [env ORGPLANE_DATABASE_URL] (default sqlite:./data/orgplane.db)')
    .option('--db-connect-attempts <n>', 'tries to reach the database before giving up [env ORGPLANE_DB_CONNECT_ATTEMPTS] (default 5)')
    .option('--db-connect-interval <ms>', 'wait between those tries [env ORGPLANE_DB_CONNECT_INTERVAL_MS] (default 2000)')
    .action(async (flags: DatabaseFlags) => {
      const config = loadDatabaseConfig(flags, process.env);
      const database = openDatabase(config.databaseUrl, config.postgres);
      try {
        await waitForDatabase(database.db, database.displayUrl, config.startup.attempts, config.startup.waitMs);
        const applied = await migrateToLatest(database);
        process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Database is up to date.\n');
      } finally {
        await database.close();
      }
    });
}
