import type { Executor } from '../../db/executor.js';
import type { OrganizationQuota } from '../../schemas/quota.js';
import type { Initiator } from '../access.js';
import type { Domain } from '../domain.js';
import { ApiError, badRequest, notFound } from '../errors.js';
import { changeOrganization } from '../organizations/organization-change.js';
import { findOrganization } from '../organizations/organization.repository.js';
import { countServiceRecordsByKind } from '../services/service.repository.js';
import { upsertQuotaRow, listQuotaRows } from './quota.repository.js';
import type { OrganizationQuotaRow } from './quota.table.js';
import { MAX_QUOTA_VALUE, QUOTA_CODES, QUOTAS, quotaDefinition, type QuotaDefinition } from '../../vocabulary/quotas.js';

/** An operator's setting of one quota: a value (and whether it is adjustable), or "does not apply". */
export type QuotaSetting = { applies: true; value: number; adjustable?: boolean } | { applies: false };

/** The quotas that apply to the organization, in the vendor's order, each with its usage where it reports one. */
export async function listQuotas(db: Executor, organizationId: string): Promise<OrganizationQuota[]> {
  if (!(await findOrganization(db, organizationId))) throw notFound('Organization');
  const settings = new Map((await listQuotaRows(db, organizationId)).map((row) => [row.quota_code, row]));
  const counts = await countServiceRecordsByKind(db, organizationId);
  const quotas: OrganizationQuota[] = [];
  for (const definition of QUOTAS) {
    const setting = settings.get(definition.code);
    if (setting && Number(setting.applies) === 0) continue;
    quotas.push(toQuota(definition, setting, counts));
  }
  return quotas;
}

/** One quota; a 404 when the code is unknown or the quota does not apply to the organization (as the vendor's). */
export async function getQuota(db: Executor, organizationId: string, code: string): Promise<OrganizationQuota> {
  const quota = (await listQuotas(db, organizationId)).find((q) => q.quotaCode === code);
  if (!quota) throw notFound('Quota');
  return quota;
}

/** The operator's `quotas set`. A value without `adjustable` keeps the one the quota has. */
export async function setQuota(domain: Domain, organizationId: string, code: string, setting: QuotaSetting, by: Initiator): Promise<void> {
  const definition = quotaDefinition(code);
  if (!definition) throw new ApiError('NOT_FOUND', `Unknown quota code '${code}': must be one of ${QUOTA_CODES.join(', ')}`);
  if (setting.applies && (!Number.isInteger(setting.value) || setting.value < 0 || setting.value > MAX_QUOTA_VALUE)) {
    throw badRequest(`Invalid field 'value': must be an integer from 0 to ${MAX_QUOTA_VALUE}`);
  }
  await changeOrganization(domain, organizationId, by, async ({ trx }) => {
    const current = (await listQuotaRows(trx, organizationId)).find((row) => row.quota_code === code);
    const value = current ? Number(current.value) : definition.defaultValue;
    const adjustable = current ? Number(current.adjustable) : definition.defaultAdjustable ? 1 : 0;
    await upsertQuotaRow(
      trx,
      setting.applies
        ? { organization_id: organizationId, quota_code: code, applies: 1, value: setting.value, adjustable: setting.adjustable === undefined ? adjustable : setting.adjustable ? 1 : 0 }
        : // "Does not apply" keeps the value and adjustable it had, so that setting a value again is the only change.
          { organization_id: organizationId, quota_code: code, applies: 0, value, adjustable },
    );
  });
}

function toQuota(definition: QuotaDefinition, setting: OrganizationQuotaRow | undefined, counts: Map<string, number>): OrganizationQuota {
  return {
    quotaCode: definition.code,
    name: definition.name,
    description: definition.description,
    scope: definition.scope,
    value: setting ? Number(setting.value) : definition.defaultValue,
    ...(definition.usageOf === undefined ? {} : { usage: counts.get(definition.usageOf) ?? 0 }),
    adjustable: setting ? Number(setting.adjustable) === 1 : definition.defaultAdjustable,
  };
}
