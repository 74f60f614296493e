import type { Kysely } from 'kysely';

// Frozen once released. The organization's BYOC configurations (vendor
// ByocConfig): read with the organization now, written by the BYOC endpoints later.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('byoc_infrastructures')
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('account_name', 'text', (c) => c.notNull())
    .addColumn('region_id', 'text', (c) => c.notNull())
    .addColumn('cloud_provider', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('byoc_infrastructures_pk', ['organization_id', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('byoc_infrastructures').execute();
}
