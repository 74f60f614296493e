import { Type } from '@sinclair/typebox';
import { getKeys } from '../../../domain/keys/key.service.js';
import { ApiKeySchema } from '../../../schemas/key.js';
import { OrganizationIdParams } from '../../../schemas/organization.js';
import { example } from '../../openapi-examples.js';
import { endpoint } from '../../route-context.js';

export default endpoint({
  method: 'GET',
  url: '/organizations/:organizationId/keys',
  operationId: 'openapiKeyGetList',
  summary: 'List the organization API keys',
  tag: 'OpenAPI',
  access: 'control-plane:organization:view-api-keys',
  params: OrganizationIdParams,
  result: Type.Array(ApiKeySchema),
  examples: { result: [example.adminKey, example.ciKey] },
  handler: ({ params }, { domain }) => getKeys(domain.db, params.organizationId),
});
