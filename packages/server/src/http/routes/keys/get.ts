import { getKey } from '../../../domain/keys/key.service.js';
import { ApiKeySchema, KeyParams } from '../../../schemas/key.js';
import { example } from '../../openapi-examples.js';
import { endpoint } from '../../route-context.js';

export default endpoint({
  method: 'GET',
  url: '/organizations/:organizationId/keys/:keyId',
  operationId: 'openapiKeyGet',
  summary: 'Get one API key by its UUID',
  tag: 'OpenAPI',
  access: 'control-plane:organization:view-api-keys',
  params: KeyParams,
  result: ApiKeySchema,
  examples: { result: example.ciKey, notFound: 'API key not found' },
  handler: ({ params }, { domain }) => getKey(domain.db, params.organizationId, params.keyId),
});
