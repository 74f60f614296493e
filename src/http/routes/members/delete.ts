import { deleteMember } from '../../../domain/members/member.service.js';
import { MemberParams } from '../../../schemas/member.js';
import { endpoint } from '../../endpoint.js';
import type { App, RouteContext } from '../../route-context.js';

export function registerDeleteMember(app: App, { domain }: RouteContext): void {
  endpoint(app, {
    method: 'DELETE',
    url: '/organizations/:organizationId/members/:userId',
    operationId: 'memberDelete',
    summary: 'Remove a member and its role assignments (never the last Admin member)',
    access: 'control-plane:organization:manage',
    params: MemberParams,
    handler: ({ params, caller }) => deleteMember(domain, params.organizationId, params.userId, caller),
  });
}
