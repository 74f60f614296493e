import { addKey } from '../../../domain/keys/key.service.js';
import { ApiKeyPostRequest, ApiKeyPostResponseSchema } from '../../../schemas/key.js';
import { OrganizationIdParams } from '../../../schemas/organization.js';
import { example } from '../../openapi-examples.js';
import { endpoint } from '../../route-context.js';

export default endpoint({
  method: 'POST',
  url: '/organizations/:organizationId/keys',
  operationId: 'openapiKeyCreate',
  summary: 'Create an API key; without hashData the key ID and secret are returned once',
  tag: 'OpenAPI',
  access: 'control-plane:organization:create-api-keys',
  params: OrganizationIdParams,
  body: ApiKeyPostRequest,
  result: ApiKeyPostResponseSchema,
  examples: {
    body: example.ciKeyCreate,
    result: example.ciKeyCreated,
    badRequest: "Invalid field 'assignedRoleIds[0]': no role with ID '4f1e0c6a-2b7d-4e59-8a3c-5d6e7f809a1b' in this organization",
  },
  handler: ({ params, body, caller }, { domain }) => addKey(domain, params.organizationId, body, caller),
});
