import { getOrganization } from '../../../domain/organizations/organization.service.js';
import { OrganizationIdParams, OrganizationSchema } from '../../../schemas/organization.js';
import { endpoint } from '../../endpoint.js';
import type { App, RouteContext } from '../../route-context.js';

export function registerGetOrganization(app: App, { domain }: RouteContext): void {
  endpoint(app, {
    method: 'GET',
    url: '/organizations/:organizationId',
    operationId: 'organizationGet',
    summary: 'Get organization details',
    access: 'control-plane:organization:view',
    params: OrganizationIdParams,
    result: OrganizationSchema,
    handler: ({ params }) => getOrganization(domain.db, params.organizationId, domain.clock.now()),
  });
}
