import { createByocInfrastructure } from '../../../domain/byoc/byoc.service.js';
import { ByocInfrastructurePostRequest } from '../../../schemas/byoc.js';
import { ByocConfigSchema, OrganizationIdParams } from '../../../schemas/organization.js';
import { endpoint } from '../../endpoint.js';
import type { App, RouteContext } from '../../route-context.js';

export function registerCreateByocInfrastructure(app: App, { domain }: RouteContext): void {
  endpoint(app, {
    method: 'POST',
    url: '/organizations/:organizationId/byocInfrastructure',
    operationId: 'organizationByocInfrastructureCreate',
    summary: 'Create a BYOC infrastructure: infra-provisioning, then infra-ready once the provisioning time has passed',
    access: 'control-plane:organization:manage',
    conflicts: true,
    params: OrganizationIdParams,
    body: ByocInfrastructurePostRequest,
    result: ByocConfigSchema,
    handler: ({ params, body, caller }) => createByocInfrastructure(domain, params.organizationId, body, caller),
  });
}
