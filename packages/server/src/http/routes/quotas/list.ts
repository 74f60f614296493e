import { Type } from '@sinclair/typebox';
import { listQuotas } from '../../../domain/quotas/quota.service.js';
import { OrganizationIdParams } from '../../../schemas/organization.js';
import { OrganizationQuotaSchema } from '../../../schemas/quota.js';
import { example } from '../../openapi-examples.js';
import { endpoint } from '../../route-context.js';

export default endpoint({
  method: 'GET',
  url: '/organizations/:organizationId/quotas',
  operationId: 'organizationQuotasGetList',
  summary: 'List the quotas that apply to the organization, with their usage where they report one',
  tag: 'Organization',
  access: 'control-plane:organization:view',
  params: OrganizationIdParams,
  result: Type.Array(OrganizationQuotaSchema),
  examples: { result: example.quotas },
  handler: ({ params }, { domain }) => listQuotas(domain.db, params.organizationId),
});
