import { deleteByocInfrastructure } from '../../../domain/byoc/byoc.service.js';
import { BYOC_TERMINATED_VISIBLE_MS } from '../../../vocabulary/byoc.js';
import { ByocInfrastructureParams } from '../../../schemas/byoc.js';
import { endpoint } from '../../route-context.js';

export default endpoint({
  method: 'DELETE',
  url: '/organizations/:organizationId/byocInfrastructure/:byocInfrastructureId',
  operationId: 'organizationByocInfrastructureDelete',
  summary: `Remove a BYOC infrastructure: infra-terminated, listed so for ${BYOC_TERMINATED_VISIBLE_MS / 1000} s, then gone`,
  tag: 'Organization',
  access: 'control-plane:organization:manage',
  params: ByocInfrastructureParams,
  examples: { notFound: 'BYOC infrastructure not found' },
  handler: ({ params, caller }, { domain }) => deleteByocInfrastructure(domain, params.organizationId, params.byocInfrastructureId, caller),
});
