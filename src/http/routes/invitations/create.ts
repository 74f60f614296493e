import { createInvitation } from '../../../domain/invitations/invitation.service.js';
import { InvitationPostRequest, InvitationSchema } from '../../../schemas/invitation.js';
import { OrganizationIdParams } from '../../../schemas/organization.js';
import { endpoint } from '../../endpoint.js';
import type { App, RouteContext } from '../../route-context.js';

export function registerCreateInvitation(app: App, { domain }: RouteContext): void {
  endpoint(app, {
    method: 'POST',
    url: '/organizations/:organizationId/invitations',
    operationId: 'invitationCreate',
    summary: 'Invite an email to join with the given roles (default: the Member system role)',
    access: 'control-plane:organization:manage',
    conflicts: true,
    params: OrganizationIdParams,
    body: InvitationPostRequest,
    result: InvitationSchema,
    handler: ({ params, body, caller }) => createInvitation(domain, params.organizationId, body, caller),
  });
}
