import type { Clock } from '../../clock.js';
import type { Executor } from '../../db/executor.js';
import type { Activity } from '../../schemas/activity.js';
import type { Actor } from '../actor.js';
import type { DateRange } from '../date-range.js';
import { notFound } from '../errors.js';
import type { ActivityType, KeyUpdateType } from '../../vocabulary/activity-types.js';
import { activityId } from './activity-id.js';
import { lastItemCursor } from './activity-json.js';
import { findActivity, listActivityJsonPage } from './activity.repository.js';
import type { ActivityCursor, ActivityRow, ListedActivityRow } from './activity.table.js';

export interface ActivityTarget {
  targetKeyId?: string;
  keyUpdateType?: KeyUpdateType;
}

/** A new activity of the organization, not yet linked into its chain (no seq, no hash). */
export function newActivity(
  clock: Clock,
  organizationId: string,
  type: ActivityType,
  actor: Actor,
  target: ActivityTarget = {},
): Omit<ActivityRow, 'hash' | 'seq'> {
  const now = clock.now();
  return {
    id: activityId(now),
    organization_id: organizationId,
    created_at: now.toISOString(),
    type,
    actor_type: actor.type,
    actor_id: actor.id,
    actor_details: actor.details,
    actor_ip_address: actor.ipAddress ?? null,
    user_agent: actor.userAgent ?? null,
    service_id: null,
    target_key_id: target.targetKeyId ?? null,
    key_update_type: target.keyUpdateType ?? null,
  };
}

/** The API's Activity shape; absent optional fields are omitted, never null. */
export function toActivity(row: ListedActivityRow): Activity {
  const activity: Activity = {
    id: row.id,
    createdAt: row.created_at,
    // The columns hold only what newActivity wrote: members of the vendor enums.
    type: row.type as Activity['type'],
    actorType: row.actor_type as Activity['actorType'],
    organizationId: row.organization_id,
  };
  if (row.actor_id !== null) activity.actorId = row.actor_id;
  if (row.actor_details !== null) activity.actorDetails = row.actor_details;
  if (row.actor_ip_address !== null) activity.actorIpAddress = row.actor_ip_address;
  if (row.user_agent !== null) activity.userAgent = row.user_agent;
  if (row.service_id !== null) activity.serviceId = row.service_id;
  if (row.target_key_id !== null) activity.targetKeyId = row.target_key_id;
  if (row.key_update_type !== null) activity.keyUpdateType = row.key_update_type as NonNullable<Activity['keyUpdateType']>;
  return activity;
}

export const ACTIVITY_PAGE_SIZE = 1000;

/** One page of the list: how many activities it holds, where the next page starts, and its JSON text. */
interface JsonPage {
  count: number;
  last: ActivityCursor | undefined;
  json: Buffer[];
}

/**
 * All activities in the range, newest first, as the API's JSON text (whole
 * items joined by commas, chunk by chunk), page by page, so a list of any
 * length is never held in memory whole. The first page is read before the
 * iterator is returned: a database failure then still becomes a proper error
 * response instead of a truncated body. Each next page is asked for as soon
 * as the one before has arrived, before that one is handed on: PostgreSQL
 * reads it while this process writes the one before, and at most two pages
 * are held (a slow reader holds back the rest).
 */
export async function streamActivityJson(db: Executor, organizationId: string, range: DateRange): Promise<AsyncIterable<Buffer>> {
  const readPage = async (after?: ActivityCursor): Promise<JsonPage> => {
    const { chunks, count } = await listActivityJsonPage(db, organizationId, range, ACTIVITY_PAGE_SIZE, after);
    return { count, last: chunks.length ? lastItemCursor(chunks.at(-1)!) : undefined, json: chunks };
  };
  const readAfter = (page: JsonPage): Promise<JsonPage> | undefined => {
    if (page.count < ACTIVITY_PAGE_SIZE) return undefined;
    const next = readPage(page.last);
    // A client that leaves mid-list never awaits it; its failure is still thrown to whoever does.
    next.catch(() => {});
    return next;
  };
  const first = await readPage();
  return (async function* pages() {
    let page = first;
    for (;;) {
      const next = readAfter(page);
      yield* page.json;
      if (!next) return;
      page = await next;
    }
  })();
}

export async function getActivity(db: Executor, organizationId: string, id: string): Promise<Activity> {
  const row = await findActivity(db, organizationId, id);
  if (!row) throw notFound('Activity');
  return toActivity(row);
}
