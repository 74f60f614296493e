import { Type } from '@sinclair/typebox';
import { getOrganization } from '../../../domain/organizations/organization.service.js';
import { OrganizationSchema } from '../../../schemas/organization.js';
import { example } from '../../openapi-examples.js';
import { endpoint } from '../../route-context.js';

export default endpoint({
  method: 'GET',
  url: '/organizations',
  operationId: 'organizationGetList',
  summary: 'List the organization of the API key',
  tag: 'Organization',
  access: 'control-plane:organization:view',
  result: Type.Array(OrganizationSchema),
  examples: { result: [example.organization] },
  handler: async ({ caller }, { domain }) => [await getOrganization(domain, caller.principal.organizationId)],
});
