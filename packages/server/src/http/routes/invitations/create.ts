import { createInvitation } from '../../../domain/invitations/invitation.service.js';
import { InvitationPostRequest, InvitationSchema } from '../../../schemas/invitation.js';
import { OrganizationIdParams } from '../../../schemas/organization.js';
import { example } from '../../openapi-examples.js';
import { endpoint } from '../../route-context.js';

export default endpoint({
  method: 'POST',
  url: '/organizations/:organizationId/invitations',
  operationId: 'invitationCreate',
  summary: 'Invite an email to join with the given roles (default: the Member system role)',
  tag: 'User management',
  access: 'control-plane:organization:manage',
  conflicts: true,
  params: OrganizationIdParams,
  body: InvitationPostRequest,
  result: InvitationSchema,
  examples: {
    body: example.invitationCreate,
    // The email is stored in lower case.
    result: example.invitation,
    badRequest: "Invalid field 'email': must be a valid email",
    conflict: 'dev@example.com is already a member of this organization',
  },
  handler: ({ params, body, caller }, { domain }) => createInvitation(domain, params.organizationId, body, caller),
});
