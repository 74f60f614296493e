import { getQuota } from '../../../domain/quotas/quota.service.js';
import { OrganizationQuotaSchema, QuotaParams } from '../../../schemas/quota.js';
import { example } from '../../openapi-examples.js';
import { endpoint } from '../../route-context.js';

export default endpoint({
  method: 'GET',
  url: '/organizations/:organizationId/quotas/:quotaCode',
  operationId: 'organizationQuotaGet',
  summary: 'Get one quota by its code (404 when the code is unknown or the quota does not apply)',
  tag: 'Organization',
  access: 'control-plane:organization:view',
  params: QuotaParams,
  result: OrganizationQuotaSchema,
  examples: { result: example.quotas[0], notFound: 'Quota not found' },
  handler: ({ params }, { domain }) => getQuota(domain.db, params.organizationId, params.quotaCode),
});
