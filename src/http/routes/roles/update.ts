import { updateRole } from '../../../domain/roles/role.service.js';
import { RbacRoleSchema, RoleParams, RoleUpdateRequest } from '../../../schemas/role.js';
import { endpoint } from '../../endpoint.js';
import type { App, RouteContext } from '../../route-context.js';

export function registerUpdateRole(app: App, { domain }: RouteContext): void {
  endpoint(app, {
    method: 'PATCH',
    url: '/organizations/:organizationId/roles/:roleId',
    operationId: 'organizationRolePatch',
    summary: "Update a role; policies and actors replace the whole list (a system role's actors only: its name and policies are fixed)",
    access: 'control-plane:organization:manage',
    conflicts: true,
    params: RoleParams,
    body: RoleUpdateRequest,
    result: RbacRoleSchema,
    handler: ({ params, body, caller }) => updateRole(domain, params.organizationId, params.roleId, body, caller),
  });
}
