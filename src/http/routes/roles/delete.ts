import { deleteRole } from '../../../domain/roles/role.service.js';
import { RoleParams } from '../../../schemas/role.js';
import { endpoint } from '../../endpoint.js';
import type { App, RouteContext } from '../../route-context.js';

export function registerDeleteRole(app: App, { domain }: RouteContext): void {
  endpoint(app, {
    method: 'DELETE',
    url: '/organizations/:organizationId/roles/:roleId',
    operationId: 'organizationRoleDelete',
    summary: 'Delete a custom role and every assignment of it (system roles cannot be deleted)',
    access: 'control-plane:organization:manage',
    params: RoleParams,
    handler: ({ params, caller }) => deleteRole(domain, params.organizationId, params.roleId, caller),
  });
}
