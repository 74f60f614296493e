import { updateKey } from '../../../domain/keys/key.service.js';
import { ApiKeyPatchRequest, ApiKeySchema, KeyParams } from '../../../schemas/key.js';
import { endpoint } from '../../endpoint.js';
import type { App, RouteContext } from '../../route-context.js';

export function registerUpdateKey(app: App, { domain }: RouteContext): void {
  endpoint(app, {
    method: 'PATCH',
    url: '/organizations/:organizationId/keys/:keyId',
    operationId: 'openapiKeyUpdate',
    summary: 'Update an API key; ipAccessList replaces the whole list, expireAt null clears it',
    access: 'control-plane:organization:update-api-keys',
    params: KeyParams,
    body: ApiKeyPatchRequest,
    result: ApiKeySchema,
    handler: ({ params, body, caller }) => updateKey(domain, params.organizationId, params.keyId, body, caller),
  });
}
