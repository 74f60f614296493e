import { Type } from '@sinclair/typebox';
import { getOrganization } from '../../../domain/organizations/organization.service.js';
import { successBody } from '../../envelope.js';
import { ApiError } from '../../errors.js';
import { requireAccess } from '../../principal.js';
import type { App, RouteContext } from '../../route-context.js';
import { envelope, OrganizationSchema } from '../../schemas.js';

export function registerListOrganizations(app: App, { db }: RouteContext): void {
  app.get(
    '/organizations',
    {
      schema: {
        operationId: 'organizationGetList',
        summary: 'List the organization of the API key',
        response: { 200: envelope(Type.Array(OrganizationSchema)) },
      },
    },
    async (request) => {
      const principal = requireAccess(request.principal, undefined, 'read');
      const organization = await getOrganization(db, principal.organizationId);
      if (!organization) throw new ApiError('NOT_FOUND', 'Organization not found');
      return successBody(request.id, [organization]);
    },
  );
}
