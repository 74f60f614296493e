import { Type } from '@sinclair/typebox';
import { getInvitations } from '../../../domain/invitations/invitation.service.js';
import { InvitationSchema } from '../../../schemas/invitation.js';
import { OrganizationIdParams } from '../../../schemas/organization.js';
import { example } from '../../openapi-examples.js';
import { endpoint } from '../../route-context.js';

export default endpoint({
  method: 'GET',
  url: '/organizations/:organizationId/invitations',
  operationId: 'invitationGetList',
  summary: 'List the invitations of the organization, oldest first; expired ones stay until deleted or replaced',
  tag: 'User management',
  access: 'control-plane:organization:view',
  params: OrganizationIdParams,
  result: Type.Array(InvitationSchema),
  examples: { result: [example.invitation, example.memberInvitation] },
  handler: ({ params }, { domain }) => getInvitations(domain.db, params.organizationId),
});
