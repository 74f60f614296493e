import { getMember } from '../../../domain/members/member.service.js';
import { MemberParams, MemberSchema } from '../../../schemas/member.js';
import { example } from '../../openapi-examples.js';
import { endpoint } from '../../route-context.js';

export default endpoint({
  method: 'GET',
  url: '/organizations/:organizationId/members/:userId',
  operationId: 'memberGet',
  summary: 'Get one member by its user ID',
  tag: 'User management',
  access: 'control-plane:organization:view',
  params: MemberParams,
  result: MemberSchema,
  examples: { result: example.graceMember, notFound: 'Member not found' },
  handler: ({ params }, { domain }) => getMember(domain.db, params.organizationId, params.userId),
});
