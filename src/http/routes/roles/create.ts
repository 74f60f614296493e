import { createRole } from '../../../domain/roles/role.service.js';
import { OrganizationIdParams } from '../../../schemas/organization.js';
import { RbacRoleSchema, RoleCreateRequest } from '../../../schemas/role.js';
import { endpoint } from '../../endpoint.js';
import type { App, RouteContext } from '../../route-context.js';

export function registerCreateRole(app: App, { domain }: RouteContext): void {
  endpoint(app, {
    method: 'POST',
    url: '/organizations/:organizationId/roles',
    operationId: 'organizationRolePost',
    summary: 'Create a custom role with its policies and actors (never one granting more than the calling key holds)',
    access: 'control-plane:organization:manage',
    conflicts: true,
    params: OrganizationIdParams,
    body: RoleCreateRequest,
    result: RbacRoleSchema,
    handler: ({ params, body, caller }) => createRole(domain, params.organizationId, body, caller),
  });
}
