import { deleteRole } from '../../../domain/roles/role.service.js';
import { RoleParams } from '../../../schemas/role.js';
import { endpoint } from '../../route-context.js';

export default endpoint({
  method: 'DELETE',
  url: '/organizations/:organizationId/roles/:roleId',
  operationId: 'organizationRoleDelete',
  summary: 'Delete a custom role and every assignment of it (system roles cannot be deleted)',
  tag: 'Role Management',
  access: 'control-plane:organization:manage',
  params: RoleParams,
  examples: { notFound: 'Role not found' },
  handler: ({ params, caller }, { domain }) => deleteRole(domain, params.organizationId, params.roleId, caller),
});
