import { deleteKey } from '../../../domain/keys/key.service.js';
import { KeyParams } from '../../../schemas/key.js';
import { endpoint } from '../../endpoint.js';
import type { App, RouteContext } from '../../route-context.js';

export function registerDeleteKey(app: App, { domain }: RouteContext): void {
  endpoint(app, {
    method: 'DELETE',
    url: '/organizations/:organizationId/keys/:keyId',
    operationId: 'openapiKeyDelete',
    summary: 'Delete an API key (a key cannot delete itself)',
    access: 'control-plane:organization:delete-api-keys',
    params: KeyParams,
    handler: async ({ params, caller }) => {
      await deleteKey(domain, params.organizationId, params.keyId, caller);
    },
  });
}
