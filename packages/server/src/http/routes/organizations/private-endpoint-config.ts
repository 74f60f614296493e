import { getPrivateEndpointConfig } from '../../../domain/organizations/private-endpoint-config.js';
import { OrganizationIdParams } from '../../../schemas/organization.js';
import { PrivateEndpointConfigQuery, PrivateEndpointConfigSchema } from '../../../schemas/private-endpoint-config.js';
import { example } from '../../openapi-examples.js';
import { endpoint } from '../../route-context.js';

export default endpoint({
  method: 'GET',
  url: '/organizations/:organizationId/privateEndpointConfig',
  operationId: 'organizationPrivateEndpointConfigGetList',
  summary: "Get the private endpoint service of a cloud region (deprecated, as the vendor's is)",
  tag: 'Organization',
  deprecated: true,
  access: 'control-plane:organization:view',
  params: OrganizationIdParams,
  querystring: PrivateEndpointConfigQuery,
  result: PrivateEndpointConfigSchema,
  examples: {
    // What the server really answers for the example organization (GET …/privateEndpointConfig?cloud_provider=aws&region_id=us-east-1).
    result: example.privateEndpointConfig,
    badRequest: "Invalid query parameter 'region_id': 'eastus' is not a region of cloud provider 'aws'",
  },
  handler: ({ params, query }, { domain }) => getPrivateEndpointConfig(domain.db, params.organizationId, query.cloud_provider, query.region_id),
});
