import { deleteInvitation } from '../../../domain/invitations/invitation.service.js';
import { InvitationParams } from '../../../schemas/invitation.js';
import { endpoint } from '../../route-context.js';

export default endpoint({
  method: 'DELETE',
  url: '/organizations/:organizationId/invitations/:invitationId',
  operationId: 'invitationDelete',
  summary: 'Delete an invitation, open or expired, and the roles it would give',
  tag: 'User management',
  access: 'control-plane:organization:manage',
  params: InvitationParams,
  examples: { notFound: 'Invitation not found' },
  handler: ({ params, caller }, { domain }) => deleteInvitation(domain, params.organizationId, params.invitationId, caller),
});
