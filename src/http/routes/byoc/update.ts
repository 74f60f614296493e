import { updateByocInfrastructure } from '../../../domain/byoc/byoc.service.js';
import { ByocInfrastructureParams, ByocInfrastructurePatchRequest } from '../../../schemas/byoc.js';
import { ByocConfigSchema } from '../../../schemas/organization.js';
import { endpoint } from '../../endpoint.js';
import type { App, RouteContext } from '../../route-context.js';

export function registerUpdateByocInfrastructure(app: App, { domain }: RouteContext): void {
  endpoint(app, {
    method: 'PATCH',
    url: '/organizations/:organizationId/byocInfrastructure/:byocInfrastructureId',
    operationId: 'organizationByocInfrastructureUpdate',
    summary: 'Rename a BYOC infrastructure (displayName is the only field it changes)',
    access: 'control-plane:organization:manage',
    params: ByocInfrastructureParams,
    body: ByocInfrastructurePatchRequest,
    result: ByocConfigSchema,
    handler: ({ params, body, caller }) => updateByocInfrastructure(domain, params.organizationId, params.byocInfrastructureId, body, caller),
  });
}
