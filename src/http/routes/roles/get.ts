import { getRole } from '../../../domain/roles/role.service.js';
import { RbacRoleSchema, RoleParams } from '../../../schemas/role.js';
import { endpoint } from '../../endpoint.js';
import type { App, RouteContext } from '../../route-context.js';

export function registerGetRole(app: App, { domain }: RouteContext): void {
  endpoint(app, {
    method: 'GET',
    url: '/organizations/:organizationId/roles/:roleId',
    operationId: 'organizationRoleGet',
    summary: 'Get one role, system or custom, with its policies and actors',
    access: 'control-plane:organization:view',
    params: RoleParams,
    result: RbacRoleSchema,
    handler: ({ params }) => getRole(domain.db, params.organizationId, params.roleId),
  });
}
