import { getKey } from '../../../domain/keys/key.service.js';
import { successBody } from '../../envelope.js';
import { requireAccess } from '../../principal.js';
import type { App, RouteContext } from '../../route-context.js';
import { envelope } from '../../schemas.js';
import { ApiKeySchema, KeyParams } from './key.schemas.js';

export function registerGetKey(app: App, { db }: RouteContext): void {
  app.get(
    '/organizations/:organizationId/keys/:keyId',
    {
      schema: {
        operationId: 'openapiKeyGet',
        summary: 'Get one API key by its UUID (admin keys only)',
        params: KeyParams,
        response: { 200: envelope(ApiKeySchema) },
      },
    },
    async (request) => {
      const principal = requireAccess(request.principal, request.params.organizationId, 'admin');
      return successBody(request.id, await getKey(db, principal.organizationId, request.params.keyId.toLowerCase()));
    },
  );
}
