import type { ServiceKind } from './services.js';

// The vendor's organization quotas and orgplane's defaults for them,
// which apply to every organization until an operator (or a seed) sets its own.
// The defaults are the vendor's published soft limits where it has one
// (services per organization, replicas per service); PostgreSQL services have
// none published, so a smaller, plausible one is taken.

export const QUOTA_CODES = ['services-per-organization', 'postgres-services-per-organization', 'replicas-per-warehouse'] as const;
export type QuotaCode = (typeof QUOTA_CODES)[number];

export const QUOTA_SCOPES = ['organization', 'warehouse'] as const;
export type QuotaScope = (typeof QUOTA_SCOPES)[number];

/** The largest value the quota table's integer column holds on both backends. */
export const MAX_QUOTA_VALUE = 2_147_483_647;

export interface QuotaDefinition {
  code: QuotaCode;
  name: string;
  description: string;
  scope: QuotaScope;
  defaultValue: number;
  defaultAdjustable: boolean;
  /** The kind of service record its usage counts; none for a quota that reports no usage. */
  usageOf?: ServiceKind;
}

export const QUOTAS: readonly QuotaDefinition[] = [
  {
    code: 'services-per-organization',
    name: 'Services per organization',
    description: 'Maximum number of ClickHouse services the organization can have. Usage is the number of ClickHouse services it has.',
    scope: 'organization',
    defaultValue: 20,
    defaultAdjustable: true,
    usageOf: 'clickhouse',
  },
  {
    code: 'postgres-services-per-organization',
    name: 'Postgres services per organization',
    description: 'Maximum number of Postgres services the organization can have. Usage is the number of Postgres services it has.',
    scope: 'organization',
    defaultValue: 5,
    defaultAdjustable: true,
    usageOf: 'postgres',
  },
  {
    code: 'replicas-per-warehouse',
    name: 'Replicas per warehouse',
    description: 'Maximum number of replicas of each warehouse (the services sharing its storage): an organization-wide setting applied to every warehouse individually.',
    scope: 'warehouse',
    defaultValue: 20,
    defaultAdjustable: true,
  },
];

export function quotaDefinition(code: string): QuotaDefinition | undefined {
  return QUOTAS.find((q) => q.code === code);
}
