import { updateRole } from '../../../domain/roles/role.service.js';
import { RbacRoleSchema, RoleParams, RoleUpdateRequest } from '../../../schemas/role.js';
import { example } from '../../openapi-examples.js';
import { endpoint } from '../../route-context.js';

export default endpoint({
  method: 'PATCH',
  url: '/organizations/:organizationId/roles/:roleId',
  operationId: 'organizationRolePatch',
  summary: 'Update a custom role; policies and actors replace the whole list (system roles cannot be changed)',
  tag: 'Role Management',
  access: 'control-plane:organization:manage',
  conflicts: true,
  params: RoleParams,
  body: RoleUpdateRequest,
  result: RbacRoleSchema,
  examples: {
    body: { actors: [] },
    result: example.deployerRoleEmptied,
    badRequest: "System role 'Admin' cannot be changed or deleted; create a custom role instead",
    notFound: 'Role not found',
    conflict: "A role named 'deployer' already exists in this organization",
  },
  handler: ({ params, body, caller, domain }) => updateRole(domain, params.organizationId, params.roleId, body, caller),
});
