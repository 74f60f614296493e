import { updateOrganization } from '../../../domain/organizations/organization-patch.js';
import { OrganizationIdParams, OrganizationPatchRequest, OrganizationSchema } from '../../../schemas/organization.js';
import { endpoint } from '../../endpoint.js';
import type { App, RouteContext } from '../../route-context.js';

export function registerUpdateOrganization(app: App, { domain }: RouteContext): void {
  endpoint(app, {
    method: 'PATCH',
    url: '/organizations/:organizationId',
    operationId: 'organizationUpdate',
    summary: 'Update organization details',
    access: 'control-plane:organization:manage',
    params: OrganizationIdParams,
    body: OrganizationPatchRequest,
    result: OrganizationSchema,
    handler: ({ params, body, caller }) => updateOrganization(domain, params.organizationId, body, caller),
  });
}
