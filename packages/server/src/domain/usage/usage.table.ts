import type { Selectable } from 'kysely';

/** One day's usage cost of one entity (vendor UsageCostRecord); totalCHC and locked are derived. */
export interface UsageRecordTable {
  organization_id: string;
  /** YYYY-MM-DD (UTC). */
  date: string;
  entity_id: string;
  entity_type: string;
  entity_name: string;
  data_warehouse_id: string;
  service_id: string | null;
  /** JSON object of metric name → decimal string (at most 6 decimal places), exact. */
  metrics: string;
  /** JSON object of tag key → value. */
  tags: string;
}

export type UsageRecordRow = Selectable<UsageRecordTable>;
