import { addDays, parseDayRange, utcDate } from '../date-range.js';
import type { Domain } from '../domain.js';
import { badRequest } from '../errors.js';
import { changeOrganization } from '../organizations/organization-change.js';
import { MicroSum, toMicroNumber } from './decimal.js';
import { listServiceRecords } from '../services/service.service.js';
import { generateUsageRows } from './usage-generate.js';
import { existingEntityIds, findUsageRecords, upsertUsageRecords } from './usage.repository.js';
import { tagKeyProblem } from '../../vocabulary/tags.js';
import { LOCKED_AFTER_DAYS, MAX_PERIOD_DAYS, USAGE_METRICS, type UsageEntityType, type UsageMetric } from '../../vocabulary/usage.js';
import type { Tags } from './usage-record.js';
import type { UsageRecordRow } from './usage.table.js';

/** The first day that is not locked at `now`: every earlier day is. */
export function firstUnlockedDay(now: Date): string {
  return addDays(utcDate(now), -LOCKED_AFTER_DAYS);
}

/** One record as the API answers it; the decimal values are exact text, the HTTP layer writes them as JSON numbers. */
export interface UsageCostEntry {
  date: string;
  entityType: UsageEntityType;
  entityId: string;
  entityName: string;
  dataWarehouseId: string;
  serviceId: string | null;
  metrics: Partial<Record<UsageMetric, string>>;
  totalCHC: string;
  locked: boolean;
}

export interface UsageCostReport {
  grandTotalCHC: string;
  costs: UsageCostEntry[];
}

export interface UsageCostQuery {
  from_date: string;
  to_date: string;
  /** One filter, or several (a repeated query parameter). */
  filter?: string | string[];
}

export interface TagFilter {
  key: string;
  value: string;
}

/** The filters as `tag:Key=Value` (split at the first '='; the value may be empty), or a 400 naming `filter`. */
export function parseTagFilters(filter: string | string[] | undefined): TagFilter[] {
  const given = filter === undefined ? [] : Array.isArray(filter) ? filter : [filter];
  return given.map((text, i) => {
    const equals = text.indexOf('=');
    const key = text.startsWith('tag:') && equals > 0 ? text.slice(4, equals) : '';
    if (tagKeyProblem(key) !== undefined) {
      throw badRequest(`Invalid query parameter 'filter': each filter must have the form tag:Key=Value (filter ${i + 1} of ${given.length} does not)`);
    }
    return { key, value: text.slice(equals + 1) };
  });
}

/**
 * The organization's usage cost of the days from from_date to to_date (UTC,
 * both included), in the order of date, then entity ID, optionally only the
 * records every filter matches: a filter matches a record whose own tags, or
 * the tags of the service record of its serviceId or of its dataWarehouseId,
 * hold the key with that value. Sums are exact (decimal.ts).
 */
export async function getUsageCost(domain: Domain, organizationId: string, query: UsageCostQuery): Promise<UsageCostReport> {
  const { from, to } = parseDayRange(query.from_date, query.to_date, MAX_PERIOD_DAYS);
  const filters = parseTagFilters(query.filter);
  let rows = await findUsageRecords(domain.db, organizationId, from, to);
  if (filters.length > 0) {
    const serviceTags = new Map((await listServiceRecords(domain.db, organizationId)).map((service) => [service.id, service.tags]));
    rows = rows.filter((row) => {
      const tagSets = [JSON.parse(row.tags) as Tags, serviceTags.get(row.service_id ?? ''), serviceTags.get(row.data_warehouse_id)];
      return filters.every(({ key, value }) => tagSets.some((tags) => tags !== undefined && Object.hasOwn(tags, key) && tags[key] === value));
    });
  }
  // Sorted here rather than by the database, whose text collation may differ between engines.
  rows.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.entity_id < b.entity_id ? -1 : a.entity_id > b.entity_id ? 1 : 0));
  const unlockedFrom = firstUnlockedDay(domain.clock.now());
  const grandTotal = new MicroSum();
  const costs = rows.map((row): UsageCostEntry => {
    const metrics = JSON.parse(row.metrics) as Partial<Record<UsageMetric, string>>;
    const total = new MicroSum();
    for (const name of USAGE_METRICS) if (metrics[name] !== undefined) total.add(toMicroNumber(metrics[name]));
    grandTotal.addSum(total);
    return {
      date: row.date,
      entityType: row.entity_type as UsageEntityType,
      entityId: row.entity_id,
      entityName: row.entity_name,
      dataWarehouseId: row.data_warehouse_id,
      serviceId: row.service_id,
      metrics,
      totalCHC: total.toString(),
      locked: row.date < unlockedFrom,
    };
  });
  return { grandTotalCHC: grandTotal.toString(), costs };
}

/** A record to import, with where it came from (a file's line, a fixture's path) for the refusal that names it. */
export interface GivenUsageRecord {
  where: string;
  row: UsageRecordRow;
}

export interface UsageImportSummary {
  /** Records written, new or replacing. */
  imported: number;
  /** Of them, how many replaced a record of the same day and entity. */
  replaced: number;
}

/**
 * Writes the records in one transaction, all or nothing: each replaces the
 * organization's record of its day and entity, unless that one is locked,
 * which refuses the whole import (400 naming where the record came from).
 * A day and entity given twice is refused as well. Usage is not among the
 * vendor's activity types: nothing is recorded in the activity log.
 */
export async function importUsageRecords(domain: Domain, organizationId: string, records: readonly GivenUsageRecord[]): Promise<UsageImportSummary> {
  const byDay = new Map<string, Map<string, string>>();
  for (const { where, row } of records) {
    const day = byDay.get(row.date) ?? new Map<string, string>();
    const first = day.get(row.entity_id);
    if (first !== undefined) throw badRequest(`${where}: entity ${row.entity_id} on ${row.date} is given twice (first at ${first})`);
    day.set(row.entity_id, where);
    byDay.set(row.date, day);
  }
  return changeOrganization(domain, organizationId, null, async ({ trx }) => {
    const unlockedFrom = firstUnlockedDay(domain.clock.now());
    let replaced = 0;
    for (const [date, entities] of byDay) {
      const existing = await existingEntityIds(trx, organizationId, date, [...entities.keys()]);
      if (date < unlockedFrom) {
        for (const [entityId, where] of entities) {
          if (existing.has(entityId)) {
            throw badRequest(`${where}: the record of entity ${entityId} on ${date} is locked (more than ${LOCKED_AFTER_DAYS} days old) and cannot be replaced; nothing was imported`);
          }
        }
      }
      replaced += existing.size;
    }
    await upsertUsageRecords(trx, records.map((r) => r.row));
    return { imported: records.length, replaced };
  });
}

/**
 * Generates the records of the organization's ClickHouse service records for
 * the days from `from` to `to` (the same bounds as a usage cost query) and
 * imports them as a file would be (usage-generate.ts).
 */
export async function generateUsage(domain: Domain, organizationId: string, period: { from: string; to: string; seed: number }): Promise<UsageImportSummary> {
  const { from, to } = parseDayRange(period.from, period.to, MAX_PERIOD_DAYS, { from: '--from', to: '--to' }, (field, reason) => badRequest(`Invalid option '${field}': ${reason}`));
  const services = await listServiceRecords(domain.db, organizationId);
  const rows = generateUsageRows(organizationId, services, from, to, period.seed);
  return importUsageRecords(domain, organizationId, rows.map((row) => ({ where: `the generated record of ${row.entity_type} ${row.entity_id} on ${row.date}`, row })));
}
