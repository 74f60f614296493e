import type { Executor } from '../../db/executor.js';
import type { DateRange } from '../date-range.js';
import type { ActivityRow, NewActivityRow } from './activity.table.js';

export async function insertActivity(db: Executor, row: NewActivityRow): Promise<void> {
  await db.insertInto('activities').values(row).execute();
}

/**
 * Advances the organization's chain head by one and returns the new seq with
 * the previous link's hash. On PostgreSQL the UPDATE also row-locks the
 * organization, so chain appends are serialised per organization.
 */
export async function advanceChainHead(trx: Executor, organizationId: string): Promise<{ seq: number; previousHash: string }> {
  const head = await trx
    .updateTable('organizations')
    .set((eb) => ({ activity_seq: eb('activity_seq', '+', 1) }))
    .where('id', '=', organizationId)
    .returning(['activity_seq', 'activity_hash'])
    .executeTakeFirstOrThrow();
  return { seq: Number(head.activity_seq), previousHash: head.activity_hash };
}

export async function setChainHeadHash(trx: Executor, organizationId: string, hash: string): Promise<void> {
  await trx.updateTable('organizations').set({ activity_hash: hash }).where('id', '=', organizationId).execute();
}

/** Where the previous page ended: the next page starts strictly after (older than) this activity. */
export interface ActivityCursor {
  createdAt: string;
  id: string;
}

/**
 * One page of activities, newest first, both date bounds inclusive. Keyset
 * pagination on the (organization_id, created_at, id) index: every page is one
 * index range scan, and the connection is free again between pages.
 */
export async function listActivitiesPage(
  db: Executor,
  organizationId: string,
  range: DateRange,
  limit: number,
  after?: ActivityCursor,
): Promise<ActivityRow[]> {
  let query = db.selectFrom('activities').selectAll().where('organization_id', '=', organizationId);
  if (range.from !== undefined) query = query.where('created_at', '>=', range.from);
  if (range.to !== undefined) query = query.where('created_at', '<=', range.to);
  if (after) query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(after.createdAt, after.id)));
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

export async function findActivity(db: Executor, organizationId: string, id: string): Promise<ActivityRow | undefined> {
  return db
    .selectFrom('activities')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst();
}
