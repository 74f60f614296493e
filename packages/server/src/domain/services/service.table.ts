import type { Selectable } from 'kysely';

/** A service an operator or a seed recorded for an organization (orgplane hosts none). */
export interface ServiceRecordTable {
  organization_id: string;
  id: string;
  name: string;
  /** 'clickhouse' or 'postgres'. */
  kind: string;
  /** running, idle, stopped, degraded or awaking. */
  state: string;
  version: string;
  /** JSON object of tag key → value. */
  tags: string;
  /** ISO-8601 UTC text. */
  created_at: string;
  /** Creation order, the order they are listed in. */
  position: number;
}

export type ServiceRecordRow = Selectable<ServiceRecordTable>;
