import { updateMember } from '../../../domain/members/member.service.js';
import { MemberParams, MemberPatchRequest, MemberSchema } from '../../../schemas/member.js';
import { example } from '../../openapi-examples.js';
import { endpoint } from '../../route-context.js';

export default endpoint({
  method: 'PATCH',
  url: '/organizations/:organizationId/members/:userId',
  operationId: 'memberUpdate',
  summary: "Replace a member's roles (assignedRoleIds, or the deprecated role); the last Admin member keeps Admin",
  tag: 'User management',
  access: 'control-plane:organization:manage',
  params: MemberParams,
  body: MemberPatchRequest,
  result: MemberSchema,
  examples: {
    body: { assignedRoleIds: [example.developerRoleId] },
    result: example.graceMember,
    badRequest: 'This member is the last member with the Admin role and cannot lose it: give another member the Admin role first',
    notFound: 'Member not found',
  },
  handler: ({ params, body, caller }, { domain }) => updateMember(domain, params.organizationId, params.userId, body, caller),
});
