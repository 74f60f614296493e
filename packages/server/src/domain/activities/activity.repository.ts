import { sql } from 'kysely';
import type { JsonObjects } from '../../db/copy-text-json.js';
import { isSqlite } from '../../db/dialect.js';
import type { Executor } from '../../db/executor.js';
import type { CopiedText } from '../../db/postgres-copy.js';
import { preparedQuery } from '../../db/prepared-query.js';
import type { DateRange } from '../date-range.js';
import { COPIED_ACTIVITY_COLUMNS, SQLITE_ACTIVITY_JSON, activityJsonFromCopy } from './activity-json.js';
import type { ActivityCursor, ActivityRow } from './activity.table.js';

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

/** The page's range scan: keyset pagination on the (organization_id, created_at, id) index, both date bounds inclusive. */
function pageQuery(db: Executor, organizationId: string, range: DateRange, limit: number, after?: ActivityCursor) {
  let query = db.selectFrom('activities').where('organization_id', '=', organizationId);
  if (range.from !== undefined) query = query.where('created_at', '>=', range.from);
  if (range.to !== undefined) query = query.where('created_at', '<=', range.to);
  if (after) query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(after.createdAt, after.id)));
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit);
}

/**
 * One page of activities, newest first, as the API's JSON text: chunks of
 * whole items joined by commas (none for an empty page). Every page is one
 * index range scan, and the connection is free again between pages.
 *
 * The database writes the text, or sends it in a form that needs no JS
 * strings: turning twelve columns per row into JS strings, then objects, then
 * JSON was most of the list's time (figures in docs/PERFORMANCE.md).
 * - SQLite writes each item itself (SQLITE_ACTIVITY_JSON) and joins the page
 *   in an explicit order; a blob reaches the process as one buffer.
 * - PostgreSQL copies the columns out as text (postgres-copy.ts), which is
 *   rewritten as JSON byte by byte. PostgreSQL's own JSON functions cost it
 *   about four times the CPU of plain columns, and PostgreSQL is what every
 *   instance shares.
 */
export async function listActivityJsonPage(
  db: Executor,
  organizationId: string,
  range: DateRange,
  limit: number,
  after?: ActivityCursor,
): Promise<JsonObjects> {
  const page = pageQuery(db, organizationId, range, limit, after);
  if (!isSqlite(db)) {
    const { rows } = await sql<CopiedText>`copy ${page.select(COPIED_ACTIVITY_COLUMNS)} to stdout`.execute(db);
    return activityJsonFromCopy(rows[0]!.copy);
  }
  const { items, count } = await db
    .selectFrom(page.select([SQLITE_ACTIVITY_JSON.as('item'), 'created_at', 'id']).as('page'))
    .select([sql<Buffer | null>`cast(string_agg(item, ',' order by created_at desc, id desc) as blob)`.as('items'), sql<number>`count(*)`.as('count')])
    .executeTakeFirstOrThrow();
  return { chunks: items ? [items] : [], count };
}

const activityById = preparedQuery((db, a: { organizationId: string; id: string }) =>
  db.selectFrom('activities').selectAll().where('organization_id', '=', a.organizationId).where('id', '=', a.id),
);

export async function findActivity(db: Executor, organizationId: string, id: string): Promise<ActivityRow | undefined> {
  return activityById.first(db, { organizationId, id });
}
