import { getQuota } from '../../../domain/quotas/quota.service.js';
import { OrganizationQuotaSchema, QuotaParams } from '../../../schemas/quota.js';
import { endpoint } from '../../endpoint.js';
import type { App, RouteContext } from '../../route-context.js';

export function registerGetQuota(app: App, { domain }: RouteContext): void {
  endpoint(app, {
    method: 'GET',
    url: '/organizations/:organizationId/quotas/:quotaCode',
    operationId: 'organizationQuotaGet',
    summary: 'Get one quota by its code (404 when the code is unknown or the quota does not apply)',
    access: 'control-plane:organization:view',
    params: QuotaParams,
    result: OrganizationQuotaSchema,
    handler: ({ params }) => getQuota(domain.db, params.organizationId, params.quotaCode),
  });
}
