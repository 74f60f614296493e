import { Type } from '@sinclair/typebox';
import { getRoles } from '../../../domain/roles/role.service.js';
import { OrganizationIdParams } from '../../../schemas/organization.js';
import { RbacRoleSchema } from '../../../schemas/role.js';
import { endpoint } from '../../endpoint.js';
import type { App, RouteContext } from '../../route-context.js';

export function registerListRoles(app: App, { domain }: RouteContext): void {
  endpoint(app, {
    method: 'GET',
    url: '/organizations/:organizationId/roles',
    operationId: 'organizationRolesGetList',
    summary: 'List the roles of the organization: the system roles, then the custom ones',
    access: 'control-plane:organization:view',
    params: OrganizationIdParams,
    result: Type.Array(RbacRoleSchema),
    handler: ({ params }) => getRoles(domain.db, params.organizationId),
  });
}
