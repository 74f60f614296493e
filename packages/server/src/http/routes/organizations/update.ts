import { updateOrganization } from '../../../domain/organizations/organization-patch.js';
import { OrganizationIdParams, OrganizationPatchRequest, OrganizationSchema } from '../../../schemas/organization.js';
import { example } from '../../openapi-examples.js';
import { endpoint } from '../../route-context.js';

export default endpoint({
  method: 'PATCH',
  url: '/organizations/:organizationId',
  operationId: 'organizationUpdate',
  summary: 'Update organization details',
  tag: 'Organization',
  access: 'control-plane:organization:manage',
  params: OrganizationIdParams,
  body: OrganizationPatchRequest,
  result: OrganizationSchema,
  examples: {
    body: example.organizationUpdate,
    result: example.organization,
    badRequest: "Invalid field 'privateEndpoints.add[0].region': must be one of ap-northeast-1, ap-northeast-2, …",
  },
  handler: ({ params, body, caller }, { domain }) => updateOrganization(domain, params.organizationId, body, caller),
});
