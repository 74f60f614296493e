import { randomUUID } from 'node:crypto';
import { UUID_FORMAT } from '../../schemas/common.js';
import type { ServiceRecord } from '../../schemas/service.js';
import { badRequest } from '../errors.js';
import { DEFAULT_SERVICE_KIND, DEFAULT_SERVICE_STATE, DEFAULT_SERVICE_VERSION, MAX_SERVICE_VERSION_LENGTH, SERVICE_KINDS, SERVICE_STATES, type ServiceKind, type ServiceState } from '../../vocabulary/services.js';
import { MAX_TAGS, tagKeyProblem, tagValueProblem } from '../../vocabulary/tags.js';
import { characterCount, isValidName, TEXT_PATTERN } from '../../vocabulary/text.js';
import type { ServiceRecordRow } from './service.table.js';

// A service record: a service (ClickHouse or PostgreSQL) that an operator or a
// seed says an organization has, since orgplane hosts none. Quota usage and the
// Prometheus samples are derived from these; the public API cannot change them.

export type { ServiceRecord };

/** What an operator or a fixture gives; what is left out takes its default. */
export interface ServiceRecordInput {
  id?: string;
  name: string;
  kind?: string;
  state?: string;
  version?: string;
  /** Key → value pairs in the order given; a key given twice is refused. */
  tags?: readonly (readonly [string, string])[];
}

const TEXT = new RegExp(TEXT_PATTERN, 'u');

/**
 * The input checked and completed with its defaults, or a 400 naming the
 * field (prefixed with `path`, e.g. "organizations[0].services[1]." in a
 * fixture, nothing on the command line).
 */
export function normaliseServiceRecord(input: ServiceRecordInput, createdAt: string, path = ''): ServiceRecord {
  const field = (name: string) => `${path}${name}`;
  const id = input.id === undefined ? randomUUID() : input.id.toLowerCase();
  if (!UUID_FORMAT.test(id)) throw badRequest(`Invalid field '${field('id')}': must be a UUID`);
  if (!isValidName(input.name)) throw badRequest(`Invalid field '${field('name')}': must be 1 to 255 characters of non-blank text without control characters`);
  const kind = input.kind ?? DEFAULT_SERVICE_KIND;
  if (!(SERVICE_KINDS as readonly string[]).includes(kind)) throw badRequest(`Invalid field '${field('kind')}': must be one of ${SERVICE_KINDS.join(', ')}`);
  const state = input.state ?? DEFAULT_SERVICE_STATE;
  if (!(SERVICE_STATES as readonly string[]).includes(state)) throw badRequest(`Invalid field '${field('state')}': must be one of ${SERVICE_STATES.join(', ')}`);
  const version = input.version ?? DEFAULT_SERVICE_VERSION;
  if (characterCount(version) > MAX_SERVICE_VERSION_LENGTH || !TEXT.test(version)) {
    throw badRequest(`Invalid field '${field('version')}': must be 1 to ${MAX_SERVICE_VERSION_LENGTH} characters of non-blank text without control characters`);
  }
  const pairs = input.tags ?? [];
  if (pairs.length > MAX_TAGS) throw badRequest(`Invalid field '${field('tags')}': at most ${MAX_TAGS} tags per service`);
  const seen = new Set<string>();
  for (const [key, value] of pairs) {
    const keyProblem = tagKeyProblem(key);
    if (keyProblem) throw badRequest(`Invalid field '${field('tags')}': tag key '${key}': ${keyProblem}`);
    const valueProblem = tagValueProblem(value);
    if (valueProblem) throw badRequest(`Invalid field '${field('tags')}': the value of tag '${key}': ${valueProblem}`);
    if (seen.has(key)) throw badRequest(`Invalid field '${field('tags')}': tag key '${key}' is given twice`);
    seen.add(key);
  }
  // fromEntries defines own properties, so a key such as "__proto__" is a tag like any other.
  const tags = Object.fromEntries(pairs) as Record<string, string>;
  return { id, name: input.name, kind: kind as ServiceKind, state: state as ServiceState, version, tags, createdAt };
}

export function toServiceRecord(row: ServiceRecordRow): ServiceRecord {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as ServiceKind,
    state: row.state as ServiceState,
    version: row.version,
    tags: JSON.parse(row.tags) as Record<string, string>,
    createdAt: row.created_at,
  };
}

export function toServiceRecordRow(organizationId: string, record: ServiceRecord, position: number): ServiceRecordRow {
  return {
    organization_id: organizationId,
    id: record.id,
    name: record.name,
    kind: record.kind,
    state: record.state,
    version: record.version,
    tags: JSON.stringify(record.tags),
    created_at: record.createdAt,
    position,
  };
}
