import { Type } from '@sinclair/typebox';
import { getKeys } from '../../../domain/keys/key.service.js';
import { successBody } from '../../envelope.js';
import { requireAccess } from '../../principal.js';
import type { App, RouteContext } from '../../route-context.js';
import { envelope, OrganizationIdParams } from '../../schemas.js';
import { ApiKeySchema } from './key.schemas.js';

export function registerListKeys(app: App, { db }: RouteContext): void {
  app.get(
    '/organizations/:organizationId/keys',
    {
      schema: {
        operationId: 'openapiKeyGetList',
        summary: 'List the organization API keys (admin keys only)',
        params: OrganizationIdParams,
        response: { 200: envelope(Type.Array(ApiKeySchema)) },
      },
    },
    async (request) => {
      const principal = requireAccess(request.principal, request.params.organizationId, 'admin');
      return successBody(request.id, await getKeys(db, principal.organizationId));
    },
  );
}
