import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { DatabaseHandle } from './database.js';
import { lockFile } from './file-lock.js';
import * as initial from './migrations/20261128_0001_initial.js';
import * as byocInfrastructures from './migrations/20261201_0002_byoc_infrastructures.js';
import * as rolesMembersInvitations from './migrations/20261202_0003_roles_members_invitations.js';
import * as keyIdHashPerOrganization from './migrations/20261202_0004_key_id_hash_per_organization.js';
import * as organizationAccessVersion from './migrations/20261202_0005_organization_access_version.js';
import * as servicesQuotasUsage from './migrations/20261207_0006_services_quotas_usage.js';
import * as byocLifecycle from './migrations/20261207_0007_byoc_lifecycle.js';

// Listed explicitly (not read from disk) so the built output needs no directory scan.
const migrations: Record<string, Migration> = {
  '20261128_0001_initial': initial,
  '20261201_0002_byoc_infrastructures': byocInfrastructures,
  '20261202_0003_roles_members_invitations': rolesMembersInvitations,
  '20261202_0004_key_id_hash_per_organization': keyIdHashPerOrganization,
  '20261202_0005_organization_access_version': organizationAccessVersion,
  '20261207_0006_services_quotas_usage': servicesQuotasUsage,
  '20261207_0007_byoc_lifecycle': byocLifecycle,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Every migration orgplane has, oldest first. */
export const MIGRATION_NAMES = Object.keys(migrations);

export class MigrationError extends Error {}

/** Any fixed 64-bit number; it names orgplane's start-up lock among the server's advisory locks. */
export const MIGRATION_LOCK_KEY = 4_217_730_161_556_771n;

type Handle = Pick<DatabaseHandle, 'db' | 'dialect' | 'openUnbounded' | 'file'>;

/**
 * Runs fn while no other orgplane process is in its own start-up: on
 * PostgreSQL under a session advisory lock, taken on a dedicated connection
 * without the request time-outs (a migration may take long, and so may waiting
 * for another instance's). fn gets that connection for the migration itself.
 * On a SQLite file under an exclusive lock on a lock file next to it (see
 * withSqliteFileLock); fn runs on the database itself. An in-memory SQLite
 * database belongs to this process alone and needs none.
 */
export async function withStartupLock<T>(handle: Handle, fn: (session: Kysely<any>) => Promise<T>): Promise<T> {
  if (handle.dialect !== 'postgres') {
    return handle.file ? withSqliteFileLock(`${handle.file}.startup-lock`, () => fn(handle.db)) : fn(handle.db);
  }
  const session = handle.openUnbounded?.();
  try {
    return await (session ?? handle).db.connection().execute(async (connection) => {
      await sql`select pg_advisory_lock(${sql.lit(MIGRATION_LOCK_KEY)})`.execute(connection);
      try {
        return await fn(connection);
      } finally {
        // Ending the session releases the lock as well; unlocking explicitly matters when there is no separate session.
        await sql`select pg_advisory_unlock(${sql.lit(MIGRATION_LOCK_KEY)})`.execute(connection).catch(() => undefined);
      }
    });
  } finally {
    await session?.close();
  }
}

/**
 * Cross-process mutual exclusion on a SQLite file (see file-lock.ts): Kysely's
 * migrator takes no lock on SQLite, and the check for a first organization
 * must not interleave either.
 */
async function withSqliteFileLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
  const lock = await lockFile(path);
  try {
    return await fn();
  } finally {
    lock.release();
  }
}

/**
 * Applies every pending migration; a no-op on an up-to-date database. Under the
 * start-up lock (which also covers creating Kysely's own bookkeeping tables), so
 * instances starting together against an empty database migrate one after the
 * other: the first migrates, the others wait, then find nothing to do.
 */
export async function migrateToLatest(handle: Handle): Promise<string[]> {
  return withStartupLock(handle, applyMigrations);
}

/** The migration run itself; call it inside withStartupLock. */
export async function applyMigrations(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    throw new MigrationError(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
