import { sql } from 'kysely';
import type { Executor } from '../../db/executor.js';
import { preparedQuery } from '../../db/prepared-query.js';
import type { DateRange } from '../date-range.js';
import { SQLITE_ACTIVITY_JSON } from './activity-json.js';
import type { ActivityCursor, ActivityRow, ListedActivityRow } from './activity.table.js';

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

/** The page's range scan: keyset pagination on the (organization_id, created_at, id) index, both date bounds inclusive. */
function pageQuery(db: Executor, organizationId: string, range: DateRange, limit: number, after?: ActivityCursor) {
  let query = db.selectFrom('activities').where('organization_id', '=', organizationId);
  if (range.from !== undefined) query = query.where('created_at', '>=', range.from);
  if (range.to !== undefined) query = query.where('created_at', '<=', range.to);
  if (after) query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(after.createdAt, after.id)));
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit);
}

/**
 * One page of activities, newest first: every page is one index range scan,
 * and the connection is free again between pages.
 */
export async function listActivitiesPage(
  db: Executor,
  organizationId: string,
  range: DateRange,
  limit: number,
  after?: ActivityCursor,
): Promise<ListedActivityRow[]> {
  return pageQuery(db, organizationId, range, limit, after).select(LISTED_COLUMNS).execute();
}

/**
 * The same page on SQLite, as the API's JSON text written by SQLite: its
 * items joined by commas, as one buffer (null for an empty page). Turning
 * twelve columns per row into JS strings, then objects, then JSON was most of
 * the list's time; SQLite writes the text for less, and a blob reaches the
 * process as one buffer, never as strings (figures in docs/PERFORMANCE.md).
 */
export async function listActivityJsonPage(
  db: Executor,
  organizationId: string,
  range: DateRange,
  limit: number,
  after?: ActivityCursor,
): Promise<{ items: Buffer | null; count: number }> {
  const page = pageQuery(db, organizationId, range, limit, after).select([SQLITE_ACTIVITY_JSON.as('item'), 'created_at', 'id']);
  return db
    .selectFrom(page.as('page'))
    .select([sql<Buffer | null>`cast(string_agg(item, ',' order by created_at desc, id desc) as blob)`.as('items'), sql<number>`count(*)`.as('count')])
    .executeTakeFirstOrThrow();
}

const activityById = preparedQuery((db, a: { organizationId: string; id: string }) =>
  db.selectFrom('activities').selectAll().where('organization_id', '=', a.organizationId).where('id', '=', a.id),
);

export async function findActivity(db: Executor, organizationId: string, id: string): Promise<ActivityRow | undefined> {
  return activityById.first(db, { organizationId, id });
}
