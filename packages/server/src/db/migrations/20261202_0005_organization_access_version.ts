import type { Kysely } from 'kysely';

// Frozen once released. organizations.access_version counts the changes of an
// organization that can change what its API keys may do (keys, roles and role
// assignments). A change compares it, as it reads it under its lock, with the
// value its caller's key was verified at: when they are equal nothing its
// caller may do has changed since, and the change needs no statement to
// confirm its caller (domain/keys/key-standing.ts).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('organizations').addColumn('access_version', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('organizations').dropColumn('access_version').execute();
}
