import { deleteKey } from '../../../domain/keys/key.service.js';
import { KeyParams } from '../../../schemas/key.js';
import { endpoint } from '../../route-context.js';

export default endpoint({
  method: 'DELETE',
  url: '/organizations/:organizationId/keys/:keyId',
  operationId: 'openapiKeyDelete',
  summary: 'Delete an API key (a key cannot delete itself)',
  tag: 'OpenAPI',
  access: 'control-plane:organization:delete-api-keys',
  params: KeyParams,
  examples: { notFound: 'API key not found' },
  handler: async ({ params, caller }, { domain }) => {
    await deleteKey(domain, params.organizationId, params.keyId, caller);
  },
});
