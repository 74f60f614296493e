import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';

// Service records for usage tests, written straight into the database until
// `orgplane services add` is merged (the lead switches this helper to it).

export interface TestServiceRecord {
  id?: string;
  name: string;
  kind?: 'clickhouse' | 'postgres';
  state?: 'running' | 'idle' | 'stopped' | 'degraded' | 'awaking';
  version?: string;
  tags?: Record<string, string>;
}

/** Adds service records to an organization, in the given order, and answers their IDs. */
export async function addServiceRecords(db: Kysely<Database>, organizationId: string, records: readonly TestServiceRecord[]): Promise<string[]> {
  const existing = await db.selectFrom('service_records').select('position').where('organization_id', '=', organizationId).execute();
  let position = existing.reduce((max, row) => Math.max(max, Number(row.position)), -1);
  const ids: string[] = [];
  for (const record of records) {
    const id = record.id ?? randomUUID();
    ids.push(id);
    await db
      .insertInto('service_records')
      .values({
        organization_id: organizationId,
        id,
        name: record.name,
        kind: record.kind ?? 'clickhouse',
        state: record.state ?? 'running',
        version: record.version ?? '25.8',
        tags: JSON.stringify(record.tags ?? {}),
        created_at: new Date().toISOString(),
        position: ++position,
      })
      .execute();
  }
  return ids;
}
