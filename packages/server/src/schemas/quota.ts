import { Type, type Static } from '@sinclair/typebox';
import { QUOTA_CODES, QUOTA_SCOPES } from '../vocabulary/quotas.js';
import { StringEnum, Uuid } from './common.js';

/** The vendor's OrganizationQuota; `usage` is absent for a quota that reports none. */
export const OrganizationQuotaSchema = Type.Object({
  quotaCode: StringEnum(QUOTA_CODES, { description: 'Stable identifier of the quota' }),
  name: Type.String({ description: 'Human-readable name of the quota' }),
  description: Type.String({ description: 'What the quota limits and how the limit is applied' }),
  scope: StringEnum(QUOTA_SCOPES, { description: 'Granularity at which the limit is applied' }),
  value: Type.Integer({ minimum: 0, description: 'The limit applied to the organization' }),
  usage: Type.Optional(Type.Integer({ minimum: 0, description: 'Current consumption; omitted for quotas that report no usage' })),
  adjustable: Type.Boolean({ description: 'Whether the limit can be raised for the organization' }),
});

export type OrganizationQuota = Static<typeof OrganizationQuotaSchema>;

/** Any code is accepted here: an unknown one is a 404, as the vendor's is, not a 400. */
export const QuotaParams = Type.Object({
  organizationId: Uuid,
  quotaCode: Type.String({ minLength: 1, description: 'Code of the quota, e.g. services-per-organization' }),
});
