import { updateMember } from '../../../domain/members/member.service.js';
import { MemberParams, MemberPatchRequest, MemberSchema } from '../../../schemas/member.js';
import { endpoint } from '../../endpoint.js';
import type { App, RouteContext } from '../../route-context.js';

export function registerUpdateMember(app: App, { domain }: RouteContext): void {
  endpoint(app, {
    method: 'PATCH',
    url: '/organizations/:organizationId/members/:userId',
    operationId: 'memberUpdate',
    summary: "Replace a member's roles (assignedRoleIds, or the deprecated role); the last Admin member keeps Admin",
    access: 'control-plane:organization:manage',
    params: MemberParams,
    body: MemberPatchRequest,
    result: MemberSchema,
    handler: ({ params, body, caller }) => updateMember(domain, params.organizationId, params.userId, body, caller),
  });
}
