import { updateByocInfrastructure } from '../../../domain/byoc/byoc.service.js';
import { ByocInfrastructureParams, ByocInfrastructurePatchRequest } from '../../../schemas/byoc.js';
import { ByocConfigSchema } from '../../../schemas/organization.js';
import { example } from '../../openapi-examples.js';
import { endpoint } from '../../route-context.js';

export default endpoint({
  method: 'PATCH',
  url: '/organizations/:organizationId/byocInfrastructure/:byocInfrastructureId',
  operationId: 'organizationByocInfrastructureUpdate',
  summary: 'Rename a BYOC infrastructure (displayName is the only field it changes)',
  tag: 'Organization',
  access: 'control-plane:organization:manage',
  params: ByocInfrastructureParams,
  body: ByocInfrastructurePatchRequest,
  result: ByocConfigSchema,
  examples: {
    body: { displayName: 'Production (us-east-1)' },
    result: { ...example.byocInfrastructure, state: 'infra-ready', displayName: 'Production (us-east-1)' },
    badRequest: "Unknown field 'regionId'",
    notFound: 'BYOC infrastructure not found',
  },
  handler: ({ params, body, caller }, { domain }) => updateByocInfrastructure(domain, params.organizationId, params.byocInfrastructureId, body, caller),
});
