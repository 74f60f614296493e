import { deleteByocInfrastructure } from '../../../domain/byoc/byoc.service.js';
import { BYOC_TERMINATED_VISIBLE_MS } from '../../../domain/byoc/limits.js';
import { ByocInfrastructureParams } from '../../../schemas/byoc.js';
import { endpoint } from '../../endpoint.js';
import type { App, RouteContext } from '../../route-context.js';

export function registerDeleteByocInfrastructure(app: App, { domain }: RouteContext): void {
  endpoint(app, {
    method: 'DELETE',
    url: '/organizations/:organizationId/byocInfrastructure/:byocInfrastructureId',
    operationId: 'organizationByocInfrastructureDelete',
    summary: `Remove a BYOC infrastructure: infra-terminated, listed so for ${BYOC_TERMINATED_VISIBLE_MS / 1000} s, then gone`,
    access: 'control-plane:organization:manage',
    params: ByocInfrastructureParams,
    handler: ({ params, caller }) => deleteByocInfrastructure(domain, params.organizationId, params.byocInfrastructureId, caller),
  });
}
