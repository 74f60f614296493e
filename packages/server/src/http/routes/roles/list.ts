import { Type } from '@sinclair/typebox';
import { streamRoles } from '../../../domain/roles/role.service.js';
import { OrganizationIdParams } from '../../../schemas/organization.js';
import { RbacRoleSchema } from '../../../schemas/role.js';
import { createArrayEnvelopeStreamer } from '../../json-array-stream.js';
import { example } from '../../openapi-examples.js';
import { endpoint } from '../../route-context.js';

// A full organization's roles are about 9 MB: streamed role by role (see json-array-stream.ts).
const streamEnvelope = createArrayEnvelopeStreamer(RbacRoleSchema);

export default endpoint({
  method: 'GET',
  url: '/organizations/:organizationId/roles',
  operationId: 'organizationRolesGetList',
  summary: 'List the roles of the organization: the system roles, then the custom ones',
  tag: 'Role Management',
  access: 'control-plane:organization:view',
  params: OrganizationIdParams,
  result: Type.Array(RbacRoleSchema),
  examples: { result: [example.adminRole, example.deployerRole] },
  handler: async ({ params, request, stream }, { domain }) => stream(streamEnvelope(request.id, await streamRoles(domain.db, params.organizationId))),
});
