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

/** What JSON.stringify escapes in a string: `"`, `\`, control characters and lone surrogates (pairs pass, as they do here). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string's JSON text between its quotes: usually the string itself, so most fields add no string of their own. */
function escaped(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text).slice(1, -1) : text;
}

/**
 * A listed row's JSON as the route's serialiser wrote it: the required fields,
 * then the optional ones (omitted when null), each in ActivitySchema's order.
 * A page used to become a row object, the API object and then its JSON: most
 * of the server's CPU per streamed row. The text is byte for byte what
 * serialising the API object gave (test/integration/activities-json.test.ts).
 * A loop over the fields read the row's properties by varying keys and cost
 * more than the serialiser it replaced.
 */
function rowJson(row: ListedActivityRow): string {
  let json = `{"id":"${escaped(row.id)}","createdAt":"${escaped(row.created_at)}","type":"${escaped(row.type)}","actorType":"${escaped(row.actor_type)}","organizationId":"${escaped(row.organization_id)}"`;
  if (row.actor_id !== null) json += `,"actorId":"${escaped(row.actor_id)}"`;
  if (row.actor_details !== null) json += `,"actorDetails":"${escaped(row.actor_details)}"`;
  if (row.actor_ip_address !== null) json += `,"actorIpAddress":"${escaped(row.actor_ip_address)}"`;
  if (row.user_agent !== null) json += `,"userAgent":"${escaped(row.user_agent)}"`;
  if (row.service_id !== null) json += `,"serviceId":"${escaped(row.service_id)}"`;
  if (row.target_key_id !== null) json += `,"targetKeyId":"${escaped(row.target_key_id)}"`;
  if (row.key_update_type !== null) json += `,"keyUpdateType":"${escaped(row.key_update_type)}"`;
  return `${json}}`;
}

/**
 * One page of activities as JSON texts, newest first, both date bounds
 * inclusive. Keyset pagination on the (organization_id, created_at, id) index:
 * every page is one index range scan, and the connection is free again
 * between pages.
 */
export async function listActivityJsonPage(
  db: Executor,
  organizationId: string,
  range: DateRange,
  limit: number,
  after?: ActivityCursor,
): Promise<string[]> {
  let query = db.selectFrom('activities').where('organization_id', '=', organizationId);
  if (range.from !== undefined) query = query.where('created_at', '>=', range.from);
  if (range.to !== undefined) query = query.where('created_at', '<=', range.to);
  if (after) query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(after.createdAt, after.id)));
  const rows = await query.select(LISTED_COLUMNS).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map(rowJson);
}

const activityById = preparedQuery((db, a: { organizationId: string; id: string }) =>
  db.selectFrom('activities').selectAll().where('organization_id', '=', a.organizationId).where('id', '=', a.id),
);

export async function findActivity(db: Executor, organizationId: string, id: string): Promise<ActivityRow | undefined> {
  return activityById.first(db, { organizationId, id });
}
