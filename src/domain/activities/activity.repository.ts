import type { Executor } from '../../db/executor.js';
import { preparedQuery } from '../../db/prepared-query.js';
import type { DateRange } from '../date-range.js';
import type { ActivityRow } from './activity.table.js';

const insert = preparedQuery((db, a: ActivityRow) =>
  db.insertInto('activities').values({
    id: a.id,
    organization_id: a.organization_id,
    created_at: a.created_at,
    type: a.type,
    actor_type: a.actor_type,
    actor_id: a.actor_id,
    actor_details: a.actor_details,
    actor_ip_address: a.actor_ip_address,
    user_agent: a.user_agent,
    service_id: a.service_id,
    target_key_id: a.target_key_id,
    key_update_type: a.key_update_type,
    seq: a.seq,
    hash: a.hash,
  }),
);

export async function insertActivity(db: Executor, row: ActivityRow): Promise<void> {
  await insert.execute(db, row);
}

/**
 * Advances the organization's chain head by one and returns the new seq with
 * the previous link's hash. On PostgreSQL the UPDATE also row-locks the
 * organization, so chain appends are serialised per organization.
 */
const advanceHead = preparedQuery((db, a: { organizationId: string }) =>
  db
    .updateTable('organizations')
    .set((eb) => ({ activity_seq: eb('activity_seq', '+', 1) }))
    .where('id', '=', a.organizationId)
    .returning(['activity_seq', 'activity_hash']),
);

export async function advanceChainHead(trx: Executor, organizationId: string): Promise<{ seq: number; previousHash: string }> {
  const head = await advanceHead.first(trx, { organizationId });
  if (!head) throw new Error(`organization ${organizationId} vanished inside its own transaction`);
  return { seq: Number(head.activity_seq), previousHash: head.activity_hash };
}

const setHeadHash = preparedQuery((db, a: { organizationId: string; hash: string }) =>
  db.updateTable('organizations').set({ activity_hash: a.hash }).where('id', '=', a.organizationId),
);

export async function setChainHeadHash(trx: Executor, organizationId: string, hash: string): Promise<void> {
  await setHeadHash.execute(trx, { organizationId, hash });
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

const activityById = preparedQuery((db, a: { organizationId: string; id: string }) =>
  db.selectFrom('activities').selectAll().where('organization_id', '=', a.organizationId).where('id', '=', a.id),
);

export async function findActivity(db: Executor, organizationId: string, id: string): Promise<ActivityRow | undefined> {
  return activityById.first(db, { organizationId, id });
}
