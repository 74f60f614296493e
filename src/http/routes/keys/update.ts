import { toApiKey, updateKey } from '../../../domain/keys/key.service.js';
import { successBody } from '../../envelope.js';
import { actorOf, requireAccess } from '../../principal.js';
import type { App, RouteContext } from '../../route-context.js';
import { envelope } from '../../schemas.js';
import { ApiKeyPatchRequest, ApiKeySchema, KeyParams } from './key.schemas.js';

export function registerUpdateKey(app: App, { db, clock, authenticator }: RouteContext): void {
  app.patch(
    '/organizations/:organizationId/keys/:keyId',
    {
      schema: {
        operationId: 'openapiKeyUpdate',
        summary: 'Update an API key (admin keys only); ipAccessList replaces the whole list, expireAt null clears it',
        params: KeyParams,
        body: ApiKeyPatchRequest,
        response: { 200: envelope(ApiKeySchema) },
      },
    },
    async (request) => {
      const principal = requireAccess(request.principal, request.params.organizationId, 'admin');
      const actor = actorOf(principal, request.ip, request.headers['user-agent']);
      const row = await updateKey(db, clock, principal.organizationId, request.params.keyId.toLowerCase(), request.body, actor);
      // State, roles, expiry and allow list take effect on this instance's very next request.
      authenticator.forget(row.key_id_hash);
      return successBody(request.id, toApiKey(row));
    },
  );
}
