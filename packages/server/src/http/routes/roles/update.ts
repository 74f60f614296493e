import { updateRole } from '../../../domain/roles/role.service.js';
import { RbacRoleSchema, RoleParams, RoleUpdateRequest } from '../../../schemas/role.js';
import { example } from '../../openapi-examples.js';
import { endpoint } from '../../route-context.js';

export default endpoint({
  method: 'PATCH',
  url: '/organizations/:organizationId/roles/:roleId',
  operationId: 'organizationRolePatch',
  summary: "Update a role; policies and actors replace the whole list (a system role's actors only: its name and policies are fixed)",
  tag: 'Role Management',
  access: 'control-plane:organization:manage',
  conflicts: true,
  params: RoleParams,
  body: RoleUpdateRequest,
  result: RbacRoleSchema,
  examples: {
    body: { actors: [] },
    result: example.deployerRoleEmptied,
    badRequest: "Invalid field 'policies': System role 'Admin' cannot be changed except for its actors: its policies are fixed; create a custom role instead",
    notFound: 'Role not found',
    conflict: "A role named 'deployer' already exists in this organization",
  },
  handler: ({ params, body, caller }, { domain }) => updateRole(domain, params.organizationId, params.roleId, body, caller),
});
