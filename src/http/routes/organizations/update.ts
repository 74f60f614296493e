import { Type } from '@sinclair/typebox';
import { updateOrganization } from '../../../domain/organizations/organization.service.js';
import { successBody } from '../../envelope.js';
import { actorOf, requireAccess } from '../../principal.js';
import type { App, RouteContext } from '../../route-context.js';
import { CloudProvider, CloudRegion, envelope, OPTIONAL_TEXT_PATTERN, OrganizationIdParams, OrganizationSchema, TEXT_PATTERN } from '../../schemas.js';

const PrivateEndpointPatch = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 255, pattern: TEXT_PATTERN }),
    description: Type.Optional(Type.String({ maxLength: 255, pattern: OPTIONAL_TEXT_PATTERN })),
    cloudProvider: Type.Optional(CloudProvider),
    region: Type.Optional(CloudRegion),
  },
  { additionalProperties: false },
);

const OrganizationPatchRequest = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 255, pattern: TEXT_PATTERN })),
    privateEndpoints: Type.Optional(
      Type.Object(
        {
          add: Type.Optional(Type.Array(PrivateEndpointPatch, { maxItems: 100 })),
          remove: Type.Optional(Type.Array(PrivateEndpointPatch, { maxItems: 100 })),
        },
        { additionalProperties: false },
      ),
    ),
    enableCoreDumps: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export function registerUpdateOrganization(app: App, { db, clock }: RouteContext): void {
  app.patch(
    '/organizations/:organizationId',
    {
      schema: {
        operationId: 'organizationUpdate',
        summary: 'Update organization details (admin keys only)',
        params: OrganizationIdParams,
        body: OrganizationPatchRequest,
        response: { 200: envelope(OrganizationSchema) },
      },
    },
    async (request) => {
      const principal = requireAccess(request.principal, request.params.organizationId, 'admin');
      const actor = actorOf(principal, request.ip, request.headers['user-agent']);
      const organization = await updateOrganization(db, clock, principal.organizationId, request.body, actor);
      return successBody(request.id, organization);
    },
  );
}
