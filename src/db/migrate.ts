import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { DatabaseHandle } from './database.js';
import * as initial from './migrations/20261128_0001_initial.js';

// Listed explicitly (not read from disk) so the built output needs no directory scan.
const migrations: Record<string, Migration> = {
  '20261128_0001_initial': initial,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export class MigrationError extends Error {}

/** Any fixed 64-bit number; it names orgplane's migration lock among the server's advisory locks. */
const MIGRATION_LOCK_KEY = 4_217_730_161_556_771n;

/**
 * Applies every pending migration; a no-op on an up-to-date database. On
 * PostgreSQL the whole run (including creating Kysely's own bookkeeping tables)
 * holds a session advisory lock, so instances starting together against an
 * empty database migrate one after the other: the first migrates, the others
 * find nothing to do.
 */
export async function migrateToLatest({ db, dialect }: Pick<DatabaseHandle, 'db' | 'dialect'>): Promise<string[]> {
  if (dialect !== 'postgres') return runMigrations(db);
  return db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(${sql.lit(MIGRATION_LOCK_KEY)})`.execute(connection);
    try {
      return await runMigrations(connection);
    } finally {
      await sql`select pg_advisory_unlock(${sql.lit(MIGRATION_LOCK_KEY)})`.execute(connection);
    }
  });
}

async function runMigrations(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    throw new MigrationError(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
