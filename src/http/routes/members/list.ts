import { Type } from '@sinclair/typebox';
import { getMembers } from '../../../domain/members/member.service.js';
import { MemberSchema } from '../../../schemas/member.js';
import { OrganizationIdParams } from '../../../schemas/organization.js';
import { endpoint } from '../../endpoint.js';
import type { App, RouteContext } from '../../route-context.js';

export function registerListMembers(app: App, { domain }: RouteContext): void {
  endpoint(app, {
    method: 'GET',
    url: '/organizations/:organizationId/members',
    operationId: 'memberGetList',
    summary: 'List the members of the organization, in the order they joined',
    access: 'control-plane:organization:view',
    params: OrganizationIdParams,
    result: Type.Array(MemberSchema),
    handler: ({ params }) => getMembers(domain.db, params.organizationId),
  });
}
