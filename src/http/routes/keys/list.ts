import { Type } from '@sinclair/typebox';
import { getKeys } from '../../../domain/keys/key.service.js';
import { ApiKeySchema } from '../../../schemas/key.js';
import { OrganizationIdParams } from '../../../schemas/organization.js';
import { endpoint } from '../../endpoint.js';
import type { App, RouteContext } from '../../route-context.js';

export function registerListKeys(app: App, { domain }: RouteContext): void {
  endpoint(app, {
    method: 'GET',
    url: '/organizations/:organizationId/keys',
    operationId: 'openapiKeyGetList',
    summary: 'List the organization API keys',
    access: 'control-plane:organization:view-api-keys',
    params: OrganizationIdParams,
    result: Type.Array(ApiKeySchema),
    handler: ({ params }) => getKeys(domain.db, params.organizationId),
  });
}
