import { getPrivateEndpointConfig } from '../../../domain/organizations/private-endpoint-config.js';
import { OrganizationIdParams } from '../../../schemas/organization.js';
import { PrivateEndpointConfigQuery, PrivateEndpointConfigSchema } from '../../../schemas/private-endpoint-config.js';
import { endpoint } from '../../endpoint.js';
import type { App, RouteContext } from '../../route-context.js';

export function registerGetPrivateEndpointConfig(app: App, { domain }: RouteContext): void {
  endpoint(app, {
    method: 'GET',
    url: '/organizations/:organizationId/privateEndpointConfig',
    operationId: 'organizationPrivateEndpointConfigGetList',
    summary: "Get the private endpoint service of a cloud region (deprecated, as the vendor's is)",
    deprecated: true,
    access: 'control-plane:organization:view',
    params: OrganizationIdParams,
    querystring: PrivateEndpointConfigQuery,
    result: PrivateEndpointConfigSchema,
    handler: ({ params, query }) => getPrivateEndpointConfig(domain.db, params.organizationId, query.cloud_provider, query.region_id),
  });
}
