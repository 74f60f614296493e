import { Type } from '@sinclair/typebox';
import { getInvitations } from '../../../domain/invitations/invitation.service.js';
import { InvitationSchema } from '../../../schemas/invitation.js';
import { OrganizationIdParams } from '../../../schemas/organization.js';
import { endpoint } from '../../endpoint.js';
import type { App, RouteContext } from '../../route-context.js';

export function registerListInvitations(app: App, { domain }: RouteContext): void {
  endpoint(app, {
    method: 'GET',
    url: '/organizations/:organizationId/invitations',
    operationId: 'invitationGetList',
    summary: 'List the invitations of the organization, oldest first; expired ones stay until deleted or replaced',
    access: 'control-plane:organization:view',
    params: OrganizationIdParams,
    result: Type.Array(InvitationSchema),
    handler: ({ params }) => getInvitations(domain.db, params.organizationId),
  });
}
