import type { Kysely } from 'kysely';

// Frozen once released. What the BYOC endpoints need to run an
// infrastructure's lifecycle on the server's clock: its state is derived on
// read from these instants. Rows written before this migration have none of
// them and keep the state they were stored with; their zones and VPC range
// are the defaults the API documents.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('byoc_infrastructures').addColumn('created_at', 'text').execute();
  await db.schema.alterTable('byoc_infrastructures').addColumn('ready_at', 'text').execute();
  await db.schema.alterTable('byoc_infrastructures').addColumn('terminated_at', 'text').execute();
  await db.schema
    .alterTable('byoc_infrastructures')
    .addColumn('availability_zone_suffixes', 'text', (c) => c.notNull().defaultTo('["a","b","c"]'))
    .execute();
  await db.schema
    .alterTable('byoc_infrastructures')
    .addColumn('vpc_cidr_range', 'text', (c) => c.notNull().defaultTo('10.0.0.0/16'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['vpc_cidr_range', 'availability_zone_suffixes', 'terminated_at', 'ready_at', 'created_at']) {
    await db.schema.alterTable('byoc_infrastructures').dropColumn(column).execute();
  }
}
