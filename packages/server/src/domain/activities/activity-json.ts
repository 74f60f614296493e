import { sql, type RawBuilder } from 'kysely';
import { copyTextAsJson, type JsonObjects } from '../../db/copy-text-json.js';
import type { ActivityCursor, ListedActivityRow } from './activity.table.js';

/**
 * The API fields and their columns in the order the API's serializer writes
 * an activity (ActivitySchema: the required fields first, then the optional
 * ones in the schema's order), so a listed item has the same bytes as GET of
 * that one activity.
 */
const FIELDS: readonly [field: string, column: keyof ListedActivityRow, optional: boolean][] = [
  ['id', 'id', false],
  ['createdAt', 'created_at', false],
  ['type', 'type', false],
  ['actorType', 'actor_type', false],
  ['organizationId', 'organization_id', false],
  ['actorId', 'actor_id', true],
  ['actorDetails', 'actor_details', true],
  ['actorIpAddress', 'actor_ip_address', true],
  ['userAgent', 'user_agent', true],
  ['serviceId', 'service_id', true],
  ['targetKeyId', 'target_key_id', true],
  ['keyUpdateType', 'key_update_type', true],
];

/**
 * SQLite's expression for an activity row as the same JSON text as the API's
 * serializer: json_quote escapes a text exactly as JSON.stringify does
 * (the byte-for-byte tests in activities-json.test.ts hold both backends to
 * that), and an optional field whose column is null is left out.
 */
export const SQLITE_ACTIVITY_JSON: RawBuilder<string> = sql.raw(
  FIELDS.map(([field, column, optional], i) => {
    const member = `'${i === 0 ? '{' : ','}"${field}":' || json_quote("${column}")`;
    return optional ? `iif("${column}" is null, '', ${member})` : member;
  }).join(' || ') + ` || '}'`,
);

/** The columns PostgreSQL copies for the list, in FIELDS' order (activityJsonFromCopy). */
export const COPIED_ACTIVITY_COLUMNS = FIELDS.map(([, column]) => column);

const COPIED_FIELDS = FIELDS.map(([name, , optional]) => ({ name, optional }));

/** The API's JSON of the activities in PostgreSQL's COPY of COPIED_ACTIVITY_COLUMNS (optional fields left out when null). */
export function activityJsonFromCopy(text: Buffer): JsonObjects {
  return copyTextAsJson(text, COPIED_FIELDS);
}

/**
 * Where the next page starts: the last item's id and createdAt. Each item
 * starts with {"id": and nothing else in the text can: inside a JSON string a
 * quote is always escaped, and outside one a brace opens only an item.
 */
export function lastItemCursor(items: Buffer): ActivityCursor {
  const last = JSON.parse(items.toString('utf8', items.lastIndexOf('{"id":'))) as { id: string; createdAt: string };
  return { createdAt: last.createdAt, id: last.id };
}
