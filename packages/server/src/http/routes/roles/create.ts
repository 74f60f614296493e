import { createRole } from '../../../domain/roles/role.service.js';
import { OrganizationIdParams } from '../../../schemas/organization.js';
import { RbacRoleSchema, RoleCreateRequest } from '../../../schemas/role.js';
import { example } from '../../openapi-examples.js';
import { endpoint } from '../../route-context.js';

export default endpoint({
  method: 'POST',
  url: '/organizations/:organizationId/roles',
  operationId: 'organizationRolePost',
  summary: 'Create a custom role with its policies and actors (never one granting more than the calling key holds)',
  tag: 'Role Management',
  access: 'control-plane:organization:manage',
  conflicts: true,
  params: OrganizationIdParams,
  body: RoleCreateRequest,
  result: RbacRoleSchema,
  examples: {
    body: example.deployerRoleCreate,
    result: example.deployerRole,
    badRequest: "Invalid field 'policies[0].permissions[1]': unknown permission 'control-plane:service:launch'",
    conflict: "A role named 'deployer' already exists in this organization",
  },
  handler: ({ params, body, caller }, { domain }) => createRole(domain, params.organizationId, body, caller),
});
