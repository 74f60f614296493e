import { updateKey } from '../../../domain/keys/key.service.js';
import { ApiKeyPatchRequest, ApiKeySchema, KeyParams } from '../../../schemas/key.js';
import { example } from '../../openapi-examples.js';
import { endpoint } from '../../route-context.js';

export default endpoint({
  method: 'PATCH',
  url: '/organizations/:organizationId/keys/:keyId',
  operationId: 'openapiKeyUpdate',
  summary: 'Update an API key; ipAccessList replaces the whole list, expireAt null clears it',
  tag: 'OpenAPI',
  access: 'control-plane:organization:update-api-keys',
  params: KeyParams,
  body: ApiKeyPatchRequest,
  result: ApiKeySchema,
  examples: { body: { state: 'disabled' }, result: { ...example.ciKey, state: 'disabled' }, badRequest: "Unknown field 'color'", notFound: 'API key not found' },
  handler: ({ params, body, caller }, { domain }) => updateKey(domain, params.organizationId, params.keyId, body, caller),
});
