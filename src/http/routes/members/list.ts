import { Type } from '@sinclair/typebox';
import { streamMembers } from '../../../domain/members/member.service.js';
import { MemberSchema } from '../../../schemas/member.js';
import { OrganizationIdParams } from '../../../schemas/organization.js';
import { endpoint } from '../../endpoint.js';
import { createArrayEnvelopeStreamer } from '../../json-array-stream.js';
import type { App, RouteContext } from '../../route-context.js';

// A full organization's members are about 7.5 MB: streamed a page at a time (see json-array-stream.ts).
const streamEnvelope = createArrayEnvelopeStreamer(MemberSchema);

export function registerListMembers(app: App, { domain }: RouteContext): void {
  endpoint(app, {
    method: 'GET',
    url: '/organizations/:organizationId/members',
    operationId: 'memberGetList',
    summary: 'List the members of the organization, in the order they joined',
    access: 'control-plane:organization:view',
    params: OrganizationIdParams,
    result: Type.Array(MemberSchema),
    handler: async ({ params, request, stream }) => stream(streamEnvelope(request.id, await streamMembers(domain.db, params.organizationId))),
  });
}
