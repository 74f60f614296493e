import type { Selectable } from 'kysely';

/** An operator's setting of one quota of one organization; a quota without a row has its default. */
export interface OrganizationQuotaTable {
  organization_id: string;
  quota_code: string;
  /** 0: the quota does not apply (omitted from the list, its GET a 404); 1: it applies. */
  applies: number;
  value: number;
  /** 0 or 1. */
  adjustable: number;
}

export type OrganizationQuotaRow = Selectable<OrganizationQuotaTable>;
