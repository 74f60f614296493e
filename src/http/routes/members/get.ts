import { getMember } from '../../../domain/members/member.service.js';
import { MemberParams, MemberSchema } from '../../../schemas/member.js';
import { endpoint } from '../../endpoint.js';
import type { App, RouteContext } from '../../route-context.js';

export function registerGetMember(app: App, { domain }: RouteContext): void {
  endpoint(app, {
    method: 'GET',
    url: '/organizations/:organizationId/members/:userId',
    operationId: 'memberGet',
    summary: 'Get one member by its user ID',
    access: 'control-plane:organization:view',
    params: MemberParams,
    result: MemberSchema,
    handler: ({ params }) => getMember(domain.db, params.organizationId, params.userId),
  });
}
