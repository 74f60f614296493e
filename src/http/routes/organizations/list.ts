import { Type } from '@sinclair/typebox';
import { getOrganization } from '../../../domain/organizations/organization.service.js';
import { OrganizationSchema } from '../../../schemas/organization.js';
import { endpoint } from '../../endpoint.js';
import type { App, RouteContext } from '../../route-context.js';

export function registerListOrganizations(app: App, { domain }: RouteContext): void {
  endpoint(app, {
    method: 'GET',
    url: '/organizations',
    operationId: 'organizationGetList',
    summary: 'List the organization of the API key',
    access: 'control-plane:organization:view',
    result: Type.Array(OrganizationSchema),
    handler: async ({ caller }) => [await getOrganization(domain.db, caller.principal.organizationId, domain.clock.now())],
  });
}
