import type { Kysely } from 'kysely';
import { powerOfTwoBatches } from '../../db/batches.js';
import type { Executor } from '../../db/executor.js';
import type { Database } from '../../db/schema.js';
import type { UsageRecordRow } from './usage.table.js';

/** The organization's records of the days from `from` to `to` (both inclusive). */
export function findUsageRecords(db: Executor, organizationId: string, from: string, to: string): Promise<UsageRecordRow[]> {
  return db
    .selectFrom('usage_records')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('date', '>=', from)
    .where('date', '<=', to)
    .execute();
}

/** The entity IDs the organization has records of on one day, among `entityIds`. */
export async function existingEntityIds(db: Executor, organizationId: string, date: string, entityIds: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const batch of powerOfTwoBatches(entityIds)) {
    const rows = await db
      .selectFrom('usage_records')
      .select('entity_id')
      .where('organization_id', '=', organizationId)
      .where('date', '=', date)
      .where('entity_id', 'in', batch)
      .execute();
    for (const row of rows) found.add(row.entity_id);
  }
  return found;
}

/** Inserts the rows, each replacing the record of its (organization, date, entity) if there is one. */
export async function upsertUsageRecords(db: Executor, rows: readonly UsageRecordRow[]): Promise<void> {
  for (const batch of powerOfTwoBatches(rows)) {
    await (db as Kysely<Database>)
      .insertInto('usage_records')
      .values(batch)
      .onConflict((oc) =>
        oc.columns(['organization_id', 'date', 'entity_id']).doUpdateSet((eb) => ({
          entity_type: eb.ref('excluded.entity_type'),
          entity_name: eb.ref('excluded.entity_name'),
          data_warehouse_id: eb.ref('excluded.data_warehouse_id'),
          service_id: eb.ref('excluded.service_id'),
          metrics: eb.ref('excluded.metrics'),
          tags: eb.ref('excluded.tags'),
        })),
      )
      .execute();
  }
}
