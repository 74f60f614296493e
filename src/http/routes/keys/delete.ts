import { deleteKey } from '../../../domain/keys/key.service.js';
import { actorOf, requireAccess } from '../../principal.js';
import type { App, RouteContext } from '../../route-context.js';
import { EmptyEnvelope } from '../../schemas.js';
import { KeyParams } from './key.schemas.js';

export function registerDeleteKey(app: App, { db, clock, authenticator }: RouteContext): void {
  app.delete(
    '/organizations/:organizationId/keys/:keyId',
    {
      schema: {
        operationId: 'openapiKeyDelete',
        summary: 'Delete an API key (admin keys only; a key cannot delete itself)',
        params: KeyParams,
        response: { 200: EmptyEnvelope },
      },
    },
    async (request) => {
      const principal = requireAccess(request.principal, request.params.organizationId, 'admin');
      const actor = actorOf(principal, request.ip, request.headers['user-agent']);
      const row = await deleteKey(db, clock, principal.organizationId, request.params.keyId.toLowerCase(), actor);
      authenticator.forget(row.key_id_hash);
      return { status: 200, requestId: request.id };
    },
  );
}
