import type { Kysely } from 'kysely';

// Frozen once released. What quotas, usage cost and Prometheus talk about, as
// data an operator or a test provides (orgplane hosts no services):
// - service_records: an organization's services (ClickHouse or PostgreSQL),
//   created by `orgplane services add` or a seed, never by the public API;
// - organization_quotas: an operator's setting of one quota for one
//   organization (a quota without a row has its default);
// - usage_records: one day's usage cost of one entity, imported or generated.
//   Metric values are decimal strings, so that sums are exact.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('service_records')
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('service_records_pk', ['organization_id', 'id'])
    .execute();
  await db.schema
    .createTable('organization_quotas')
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('quota_code', 'text', (c) => c.notNull())
    .addColumn('applies', 'integer', (c) => c.notNull())
    .addColumn('value', 'integer', (c) => c.notNull())
    .addColumn('adjustable', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('organization_quotas_pk', ['organization_id', 'quota_code'])
    .execute();
  await db.schema
    .createTable('usage_records')
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_name', 'text', (c) => c.notNull())
    .addColumn('data_warehouse_id', 'text', (c) => c.notNull())
    .addColumn('service_id', 'text')
    .addColumn('metrics', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('usage_records_pk', ['organization_id', 'date', 'entity_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('usage_records').execute();
  await db.schema.dropTable('organization_quotas').execute();
  await db.schema.dropTable('service_records').execute();
}
