import { getOrganization } from '../../../domain/organizations/organization.service.js';
import { successBody } from '../../envelope.js';
import { ApiError } from '../../errors.js';
import { requireAccess } from '../../principal.js';
import type { App, RouteContext } from '../../route-context.js';
import { envelope, OrganizationIdParams, OrganizationSchema } from '../../schemas.js';

export function registerGetOrganization(app: App, { db }: RouteContext): void {
  app.get(
    '/organizations/:organizationId',
    {
      schema: {
        operationId: 'organizationGet',
        summary: 'Get organization details',
        params: OrganizationIdParams,
        response: { 200: envelope(OrganizationSchema) },
      },
    },
    async (request) => {
      const principal = requireAccess(request.principal, request.params.organizationId, 'read');
      const organization = await getOrganization(db, principal.organizationId);
      if (!organization) throw new ApiError('NOT_FOUND', 'Organization not found');
      return successBody(request.id, organization);
    },
  );
}
