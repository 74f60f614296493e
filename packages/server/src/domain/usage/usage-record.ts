import { isCalendarDate } from '../date-range.js';
import { isValidName } from '../../vocabulary/text.js';
import { MAX_TAGS, tagKeyProblem, tagValueProblem } from '../../vocabulary/tags.js';
import { USAGE_ENTITY_TYPES, USAGE_METRICS, type UsageEntityType, type UsageMetric } from '../../vocabulary/usage.js';
import { canonicalDecimal, decimalProblem } from './decimal.js';
import type { UsageRecordRow } from './usage.table.js';
import { UUID_FORMAT } from '../../schemas/common.js';

/** The fields a usage record is given with; totalCHC and locked are derived, never given. */
export const USAGE_RECORD_FIELDS = ['date', 'entityType', 'entityId', 'entityName', 'dataWarehouseId', 'serviceId', 'metrics', 'tags'] as const;
const DERIVED_FIELDS = new Set(['totalCHC', 'locked']);

const CONTROL = /[\u0000-\u001F\u007F]/;

/** Says which field of a record is wrong and why; the caller turns it into its error (a line of a file, a fixture path). */
export type Refuse = (field: string, reason: string) => Error;

export type Tags = Record<string, string>;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * One usage record as given (the vendor's field names, metric values as
 * numbers or decimal strings, optional tags) checked field by field and
 * turned into its row: IDs in lower case, metric values canonical decimal
 * text in the vendor's order. Throws refuse(field, reason) for the first
 * field that is wrong.
 */
export function parseUsageRecord(input: unknown, organizationId: string, refuse: Refuse): UsageRecordRow {
  if (!isObject(input)) throw refuse('', 'must be a JSON object with the fields of a usage record');
  for (const field of Object.keys(input)) {
    if (DERIVED_FIELDS.has(field)) throw refuse(field, 'is derived (from the metrics and the date) and cannot be given');
    if (!(USAGE_RECORD_FIELDS as readonly string[]).includes(field)) throw refuse(field, `is not a field of a usage record (${USAGE_RECORD_FIELDS.join(', ')})`);
  }
  for (const field of ['date', 'entityType', 'entityId', 'entityName', 'dataWarehouseId', 'metrics'] as const) {
    if (input[field] === undefined) throw refuse(field, 'is required');
  }
  const { date, entityType, entityId, entityName, dataWarehouseId, serviceId } = input;
  if (typeof date !== 'string' || !isCalendarDate(date)) throw refuse('date', 'must be a date (YYYY-MM-DD, UTC)');
  if (typeof entityType !== 'string' || !(USAGE_ENTITY_TYPES as readonly string[]).includes(entityType)) throw refuse('entityType', `must be one of ${USAGE_ENTITY_TYPES.join(', ')}`);
  const uuid = (field: string, value: unknown): string => {
    if (typeof value !== 'string' || !UUID_FORMAT.test(value)) throw refuse(field, 'must be a UUID');
    return value.toLowerCase();
  };
  const entity = uuid('entityId', entityId);
  if (typeof entityName !== 'string' || !isValidName(entityName)) throw refuse('entityName', 'must be 1 to 255 characters of non-blank text without control characters');
  const warehouse = uuid('dataWarehouseId', dataWarehouseId);
  const service = serviceId === undefined || serviceId === null || serviceId === '' ? null : uuid('serviceId', serviceId);
  // The vendor's meaning of the IDs: each names the warehouse and the service the entity belongs to, or is.
  if (entityType === 'datawarehouse') {
    if (service !== null) throw refuse('serviceId', 'must be null for a datawarehouse entity');
    if (warehouse !== entity) throw refuse('dataWarehouseId', 'must be the entityId for a datawarehouse entity (it is the data warehouse)');
  } else if (service === null) {
    throw refuse('serviceId', `is required for a ${entityType} entity (the service it belongs to, or is)`);
  } else if (entityType === 'service' && service !== entity) {
    throw refuse('serviceId', 'must be the entityId for a service entity (it is the service)');
  }
  return {
    organization_id: organizationId,
    date,
    entity_id: entity,
    entity_type: entityType,
    entity_name: entityName,
    data_warehouse_id: warehouse,
    service_id: service,
    metrics: JSON.stringify(parseMetrics(input.metrics, refuse)),
    tags: JSON.stringify(parseTags(input.tags, refuse)),
  };
}

function parseMetrics(value: unknown, refuse: Refuse): Partial<Record<UsageMetric, string>> {
  if (!isObject(value)) throw refuse('metrics', `must be an object of metric name → value (${USAGE_METRICS.join(', ')})`);
  for (const name of Object.keys(value)) {
    if (!(USAGE_METRICS as readonly string[]).includes(name)) throw refuse(`metrics.${name}`, `is not a usage metric (${USAGE_METRICS.join(', ')})`);
  }
  const metrics: Partial<Record<UsageMetric, string>> = {};
  for (const name of USAGE_METRICS) {
    if (value[name] === undefined) continue;
    const problem = decimalProblem(value[name]);
    if (problem) throw refuse(`metrics.${name}`, problem);
    metrics[name] = canonicalDecimal(value[name]);
  }
  return metrics;
}

function parseTags(value: unknown, refuse: Refuse): Tags {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw refuse('tags', 'must be an object of tag key → value');
  const entries = Object.entries(value);
  if (entries.length > MAX_TAGS) throw refuse('tags', `must have at most ${MAX_TAGS} tags`);
  for (const [key, tagValue] of entries) {
    const keyProblem = tagKeyProblem(key);
    if (keyProblem) throw refuse(`tags.${key}`, keyProblem);
    if (typeof tagValue !== 'string') throw refuse(`tags.${key}`, 'must be a string');
    const valueProblem = tagValueProblem(tagValue);
    if (valueProblem) throw refuse(`tags.${key}`, valueProblem);
  }
  return Object.fromEntries(entries) as Tags;
}
