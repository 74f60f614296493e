import { getInvitation } from '../../../domain/invitations/invitation.service.js';
import { InvitationParams, InvitationSchema } from '../../../schemas/invitation.js';
import { endpoint } from '../../endpoint.js';
import type { App, RouteContext } from '../../route-context.js';

export function registerGetInvitation(app: App, { domain }: RouteContext): void {
  endpoint(app, {
    method: 'GET',
    url: '/organizations/:organizationId/invitations/:invitationId',
    operationId: 'invitationGet',
    summary: 'Get one invitation by its ID',
    access: 'control-plane:organization:view',
    params: InvitationParams,
    result: InvitationSchema,
    handler: ({ params }) => getInvitation(domain.db, params.organizationId, params.invitationId),
  });
}
