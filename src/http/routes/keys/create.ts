import { addKey } from '../../../domain/keys/key.service.js';
import { ApiKeyPostRequest, ApiKeyPostResponseSchema } from '../../../schemas/key.js';
import { OrganizationIdParams } from '../../../schemas/organization.js';
import { endpoint } from '../../endpoint.js';
import type { App, RouteContext } from '../../route-context.js';

export function registerCreateKey(app: App, { domain }: RouteContext): void {
  endpoint(app, {
    method: 'POST',
    url: '/organizations/:organizationId/keys',
    operationId: 'openapiKeyCreate',
    summary: 'Create an API key; without hashData the key ID and secret are returned once',
    access: 'control-plane:organization:create-api-keys',
    params: OrganizationIdParams,
    body: ApiKeyPostRequest,
    result: ApiKeyPostResponseSchema,
    handler: ({ params, body, caller }) => addKey(domain, params.organizationId, body, caller),
  });
}
