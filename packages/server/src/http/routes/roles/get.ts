import { getRole } from '../../../domain/roles/role.service.js';
import { RbacRoleSchema, RoleParams } from '../../../schemas/role.js';
import { example } from '../../openapi-examples.js';
import { endpoint } from '../../route-context.js';

export default endpoint({
  method: 'GET',
  url: '/organizations/:organizationId/roles/:roleId',
  operationId: 'organizationRoleGet',
  summary: 'Get one role, system or custom, with its policies and actors',
  tag: 'Role Management',
  access: 'control-plane:organization:view',
  params: RoleParams,
  result: RbacRoleSchema,
  examples: { result: example.deployerRole, notFound: 'Role not found' },
  handler: ({ params }, { domain }) => getRole(domain.db, params.organizationId, params.roleId),
});
