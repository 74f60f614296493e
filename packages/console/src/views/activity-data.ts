import type { operations } from '@orgplane/client';
import { toCsv } from '../csv.js';

export type Activity = operations['activityGetList']['responses'][200]['content']['application/json']['result'][number];
export type ActivityRange = NonNullable<operations['activityGetList']['parameters']['query']>;

/** Every field of an activity, in the API's order: the details panel and the exports show them all. */
export const ACTIVITY_FIELDS = [
  'id',
  'createdAt',
  'type',
  'actorType',
  'actorId',
  'actorDetails',
  'actorIpAddress',
  'userAgent',
  'organizationId',
  'serviceId',
  'targetKeyId',
  'keyUpdateType',
] as const satisfies readonly (keyof Activity)[];
// A field added to the API's schema but not listed above fails to compile here, so no export ever leaves it out.
const everyFieldListed: [Exclude<keyof Activity, (typeof ACTIVITY_FIELDS)[number]>] extends [never] ? true : never = true;
void everyFieldListed;

/** Who did it: one actor (its type and ID) and how the console names it. */
export function actorOf(activity: Activity): { key: string; label: string } {
  const name = activity.actorDetails ?? activity.actorId;
  return { key: `${activity.actorType}\n${activity.actorId ?? ''}`, label: name ? `${name} (${activity.actorType})` : activity.actorType };
}

/** What it acted on: the key or service it names, else the organization itself. */
export function targetOf(activity: Activity): string {
  if (activity.targetKeyId) return `API key ${activity.targetKeyId}`;
  if (activity.serviceId) return `service ${activity.serviceId}`;
  return 'organization';
}

export interface RangeDraft {
  fromDate: string;
  fromTime: string;
  toDate: string;
  toTime: string;
}

/**
 * The range as the API's from_date/to_date take it: a date alone (the whole
 * UTC day: from its start, to its end), or a date and a UTC time as an
 * RFC 3339 date-time. A time without its date is refused.
 */
export function rangeOf(draft: RangeDraft): ActivityRange | string {
  const bound = (date: string, time: string, name: string): string | undefined | Error => {
    if (!date) return time ? new Error(`The ${name} time needs a ${name} date.`) : undefined;
    if (!time) return date;
    return `${date}T${time.length === 5 ? `${time}:00` : time}Z`;
  };
  const from = bound(draft.fromDate, draft.fromTime, 'From');
  const to = bound(draft.toDate, draft.toTime, 'To');
  if (from instanceof Error) return from.message;
  if (to instanceof Error) return to.message;
  return { ...(from ? { from_date: from } : {}), ...(to ? { to_date: to } : {}) };
}

export function activitiesJson(activities: readonly Activity[]): string {
  return `${JSON.stringify(activities, null, 2)}\n`;
}

export function activitiesCsv(activities: readonly Activity[]): string {
  return toCsv(
    ACTIVITY_FIELDS,
    activities.map((a) => ACTIVITY_FIELDS.map((field) => a[field])),
  );
}
