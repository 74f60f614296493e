import { addKey, toApiKey } from '../../../domain/keys/key.service.js';
import { successBody } from '../../envelope.js';
import { actorOf, requireAccess } from '../../principal.js';
import type { App, RouteContext } from '../../route-context.js';
import { envelope, OrganizationIdParams } from '../../schemas.js';
import { ApiKeyPostRequest, ApiKeyPostResponseSchema } from './key.schemas.js';

export function registerCreateKey(app: App, { db, clock }: RouteContext): void {
  app.post(
    '/organizations/:organizationId/keys',
    {
      schema: {
        operationId: 'openapiKeyCreate',
        summary: 'Create an API key (admin keys only); without hashData the key ID and secret are returned once',
        params: OrganizationIdParams,
        body: ApiKeyPostRequest,
        response: { 200: envelope(ApiKeyPostResponseSchema) },
      },
    },
    async (request) => {
      const principal = requireAccess(request.principal, request.params.organizationId, 'admin');
      const actor = actorOf(principal, request.ip, request.headers['user-agent']);
      const { row, pair } = await addKey(db, clock, { organizationId: principal.organizationId, ...request.body }, actor);
      return successBody(request.id, { key: toApiKey(row), ...pair });
    },
  );
}
