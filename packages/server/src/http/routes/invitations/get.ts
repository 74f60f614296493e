import { getInvitation } from '../../../domain/invitations/invitation.service.js';
import { InvitationParams, InvitationSchema } from '../../../schemas/invitation.js';
import { example } from '../../openapi-examples.js';
import { endpoint } from '../../route-context.js';

export default endpoint({
  method: 'GET',
  url: '/organizations/:organizationId/invitations/:invitationId',
  operationId: 'invitationGet',
  summary: 'Get one invitation by its ID',
  tag: 'User management',
  access: 'control-plane:organization:view',
  params: InvitationParams,
  result: InvitationSchema,
  examples: { result: example.invitation, notFound: 'Invitation not found' },
  handler: ({ params }, { domain }) => getInvitation(domain.db, params.organizationId, params.invitationId),
});
