import { deleteInvitation } from '../../../domain/invitations/invitation.service.js';
import { InvitationParams } from '../../../schemas/invitation.js';
import { endpoint } from '../../endpoint.js';
import type { App, RouteContext } from '../../route-context.js';

export function registerDeleteInvitation(app: App, { domain }: RouteContext): void {
  endpoint(app, {
    method: 'DELETE',
    url: '/organizations/:organizationId/invitations/:invitationId',
    operationId: 'invitationDelete',
    summary: 'Delete an invitation, open or expired, and the roles it would give',
    access: 'control-plane:organization:manage',
    params: InvitationParams,
    handler: ({ params, caller }) => deleteInvitation(domain, params.organizationId, params.invitationId, caller),
  });
}
