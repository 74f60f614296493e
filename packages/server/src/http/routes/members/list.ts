import { Type } from '@sinclair/typebox';
import { streamMembers } from '../../../domain/members/member.service.js';
import { MemberSchema } from '../../../schemas/member.js';
import { OrganizationIdParams } from '../../../schemas/organization.js';
import { createArrayEnvelopeStreamer } from '../../json-array-stream.js';
import { example } from '../../openapi-examples.js';
import { endpoint } from '../../route-context.js';

// A full organization's members are about 7.5 MB: streamed a page at a time (see json-array-stream.ts).
const streamEnvelope = createArrayEnvelopeStreamer(MemberSchema);

export default endpoint({
  method: 'GET',
  url: '/organizations/:organizationId/members',
  operationId: 'memberGetList',
  summary: 'List the members of the organization, in the order they joined',
  tag: 'User management',
  access: 'control-plane:organization:view',
  params: OrganizationIdParams,
  result: Type.Array(MemberSchema),
  examples: { result: [example.adaMember, example.graceMember] },
  handler: async ({ params, request, stream }, { domain }) => stream(streamEnvelope(request.id, await streamMembers(domain.db, params.organizationId))),
});
