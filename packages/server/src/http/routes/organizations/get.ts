import { getOrganization } from '../../../domain/organizations/organization.service.js';
import { OrganizationIdParams, OrganizationSchema } from '../../../schemas/organization.js';
import { example } from '../../openapi-examples.js';
import { endpoint } from '../../route-context.js';

export default endpoint({
  method: 'GET',
  url: '/organizations/:organizationId',
  operationId: 'organizationGet',
  summary: 'Get organization details',
  tag: 'Organization',
  access: 'control-plane:organization:view',
  params: OrganizationIdParams,
  result: OrganizationSchema,
  examples: { result: example.organization },
  handler: ({ params }, { domain }) => getOrganization(domain, params.organizationId),
});
