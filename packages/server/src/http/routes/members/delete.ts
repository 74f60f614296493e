import { deleteMember } from '../../../domain/members/member.service.js';
import { MemberParams } from '../../../schemas/member.js';
import { endpoint } from '../../route-context.js';

export default endpoint({
  method: 'DELETE',
  url: '/organizations/:organizationId/members/:userId',
  operationId: 'memberDelete',
  summary: 'Remove a member and its role assignments (never the last Admin member)',
  tag: 'User management',
  access: 'control-plane:organization:manage',
  params: MemberParams,
  examples: { notFound: 'Member not found' },
  handler: ({ params, caller }, { domain }) => deleteMember(domain, params.organizationId, params.userId, caller),
});
