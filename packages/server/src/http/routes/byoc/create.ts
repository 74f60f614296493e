import { createByocInfrastructure } from '../../../domain/byoc/byoc.service.js';
import { ByocInfrastructurePostRequest } from '../../../schemas/byoc.js';
import { ByocConfigSchema, OrganizationIdParams } from '../../../schemas/organization.js';
import { example } from '../../openapi-examples.js';
import { endpoint } from '../../route-context.js';

export default endpoint({
  method: 'POST',
  url: '/organizations/:organizationId/byocInfrastructure',
  operationId: 'organizationByocInfrastructureCreate',
  summary: 'Create a BYOC infrastructure: infra-provisioning, then infra-ready once the provisioning time has passed',
  tag: 'Organization',
  access: 'control-plane:organization:manage',
  conflicts: true,
  params: OrganizationIdParams,
  body: ByocInfrastructurePostRequest,
  result: ByocConfigSchema,
  examples: {
    body: example.byocInfrastructureCreate,
    result: example.byocInfrastructure,
    badRequest: "Invalid field 'accountId': an AWS account ID is 12 digits",
    conflict: "A BYOC infrastructure for account '123456789012' in region 'us-east-1' already exists in this organization",
  },
  handler: ({ params, body, caller }, { domain }) => createByocInfrastructure(domain, params.organizationId, body, caller),
});
