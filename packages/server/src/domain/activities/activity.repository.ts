import type { Executor } from '../../db/executor.js';
import { preparedQuery } from '../../db/prepared-query.js';
import type { DateRange } from '../date-range.js';
import type { ActivityRow, ListedActivityRow } from './activity.table.js';

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

/**
 * Inserts a change's linked activities: several in one multi-row statement
 * (one round trip on PostgreSQL), built per call because its shape depends on
 * the count; a single row uses the prepared statement.
 */
export async function insertActivities(trx: Executor, rows: ActivityRow[]): Promise<void> {
  if (rows.length === 1) await insert.execute(trx, rows[0]!);
  else if (rows.length > 1) await trx.insertInto('activities').values(rows).execute();
}

/** Where the previous page ended: the next page starts strictly after (older than) this activity. */
export interface ActivityCursor {
  createdAt: string;
  id: string;
}

/**
 * What a listed activity needs: every field except its chain link (seq, hash),
 * which only the audit reads. A page is up to 1,000 rows and turning each
 * column into a JS value is most of a page's cost, so the 64-character hash
 * is not fetched.
 */
const LISTED_COLUMNS = [
  'id',
  'organization_id',
  'created_at',
  'type',
  'actor_type',
  'actor_id',
  'actor_details',
  'actor_ip_address',
  'user_agent',
  'service_id',
  'target_key_id',
  'key_update_type',
] as const satisfies readonly (keyof ListedActivityRow)[];

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
): Promise<ListedActivityRow[]> {
  let query = db.selectFrom('activities').select(LISTED_COLUMNS).where('organization_id', '=', organizationId);
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
