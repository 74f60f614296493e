import { getKey } from '../../../domain/keys/key.service.js';
import { ApiKeySchema, KeyParams } from '../../../schemas/key.js';
import { endpoint } from '../../endpoint.js';
import type { App, RouteContext } from '../../route-context.js';

export function registerGetKey(app: App, { domain }: RouteContext): void {
  endpoint(app, {
    method: 'GET',
    url: '/organizations/:organizationId/keys/:keyId',
    operationId: 'openapiKeyGet',
    summary: 'Get one API key by its UUID',
    access: 'control-plane:organization:view-api-keys',
    params: KeyParams,
    result: ApiKeySchema,
    handler: ({ params }) => getKey(domain.db, params.organizationId, params.keyId),
  });
}
