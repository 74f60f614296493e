import type { operations } from '@orgplane/client';
import type { ConsoleContext } from '../context.js';
import { toCsv } from '../csv.js';
import { eachDay } from '../dates.js';
import { parseWithExactNumbers } from '../exact-json.js';

type ApiRecord = operations['usageCostGet']['responses'][200]['content']['application/json']['result']['costs'][number];
export type MetricName = keyof ApiRecord['metrics'];
export type EntityType = ApiRecord['entityType'];

/** A usage cost record with its amounts as the decimal text the API wrote. */
export interface UsageRecord extends Omit<ApiRecord, 'metrics' | 'totalCHC'> {
  metrics: Partial<Record<MetricName, string>>;
  totalCHC: string;
}

export interface UsagePeriod {
  from: string;
  to: string;
}

export interface UsageCost {
  period: UsagePeriod;
  grandTotalCHC: string;
  costs: UsageRecord[];
}

/** The API's bound: a period of at most 31 days, both ends included. */
export const MAX_PERIOD_DAYS = 31;

/** The vendor's metrics in its order (the API lists a record's metrics in it). */
export const METRICS = [
  'storageCHC',
  'backupCHC',
  'computeCHC',
  'dataTransferCHC',
  'initialLoadCHC',
  'publicDataTransferCHC',
  'interRegionTier1DataTransferCHC',
  'interRegionTier2DataTransferCHC',
  'interRegionTier3DataTransferCHC',
  'interRegionTier4DataTransferCHC',
] as const satisfies readonly MetricName[];
// A metric added to the API's schema but not listed above fails to compile here, so no column is ever left out.
const everyMetricListed: [Exclude<MetricName, (typeof METRICS)[number]>] extends [never] ? true : never = true;
void everyMetricListed;

export const ENTITY_TYPES = ['datawarehouse', 'service', 'clickpipe'] as const satisfies readonly EntityType[];

/** Why the period cannot be asked for, or undefined when the API takes it. */
export function periodProblem({ from, to }: UsagePeriod, days: (from: string, to: string) => number): string | undefined {
  if (!from || !to) return 'Choose both the From and the To date.';
  const span = days(from, to);
  if (Number.isNaN(span)) return 'Dates are YYYY-MM-DD.';
  if (span < 0) return 'The To date must not be before the From date.';
  if (span + 1 > MAX_PERIOD_DAYS) return `The period is at most ${MAX_PERIOD_DAYS} days, as the API takes it: ${from} to ${to} is ${span + 1} days.`;
  return undefined;
}

/** GET usageCost, read as text so that every amount stays exactly as the API wrote it. */
export async function readUsageCost({ client, org }: Pick<ConsoleContext, 'client' | 'org'>, period: UsagePeriod): Promise<UsageCost> {
  const { data } = await client.GET('/v1/organizations/{organizationId}/usageCost', {
    params: { ...org.params, query: { from_date: period.from, to_date: period.to } },
    parseAs: 'text',
  });
  const { result } = parseWithExactNumbers(data as string) as { result: { grandTotalCHC: string; costs: UsageRecord[] } };
  return { period, grandTotalCHC: result.grandTotalCHC, costs: result.costs };
}

/** Decimal text (at most six places, as the API keeps them) as whole millionths: sums of these are exact. */
function micros(text: string): number {
  const [whole, fraction = ''] = text.split('.') as [string, string?];
  return Number(whole) * 1e6 + Number(fraction.padEnd(6, '0').slice(0, 6));
}

export interface DailySeries {
  entityType: EntityType;
  /** CHC per day of the period, in the period's order. */
  values: number[];
}

/** The daily cost of each entity type that has records, for the chart. */
export function dailyCostByType(cost: UsageCost): { days: string[]; series: DailySeries[] } {
  const days = eachDay(cost.period.from, cost.period.to);
  const index = new Map(days.map((day, i) => [day, i]));
  const sums = new Map<EntityType, number[]>();
  for (const record of cost.costs) {
    const day = index.get(record.date);
    if (day === undefined) continue;
    const values = sums.get(record.entityType) ?? days.map(() => 0);
    values[day]! += micros(record.totalCHC);
    sums.set(record.entityType, values);
  }
  const series = ENTITY_TYPES.filter((type) => sums.has(type)).map((entityType) => ({ entityType, values: sums.get(entityType)!.map((m) => m / 1e6) }));
  return { days, series };
}

/** The records as CSV: a column per field of the API's record, in its order, and one per metric; amounts as the API wrote them. */
export function usageCsv(cost: UsageCost): string {
  return toCsv(
    ['dataWarehouseId', 'serviceId', 'date', 'entityType', 'entityId', 'entityName', ...METRICS, 'totalCHC', 'locked'],
    cost.costs.map((r) => [r.dataWarehouseId, r.serviceId, r.date, r.entityType, r.entityId, r.entityName, ...METRICS.map((m) => r.metrics[m]), r.totalCHC, r.locked]),
  );
}
