import { Type } from '@sinclair/typebox';
import { listQuotas } from '../../../domain/quotas/quota.service.js';
import { OrganizationIdParams } from '../../../schemas/organization.js';
import { OrganizationQuotaSchema } from '../../../schemas/quota.js';
import { endpoint } from '../../endpoint.js';
import type { App, RouteContext } from '../../route-context.js';

export function registerListQuotas(app: App, { domain }: RouteContext): void {
  endpoint(app, {
    method: 'GET',
    url: '/organizations/:organizationId/quotas',
    operationId: 'organizationQuotasGetList',
    summary: 'List the quotas that apply to the organization, with their usage where they report one',
    access: 'control-plane:organization:view',
    params: OrganizationIdParams,
    result: Type.Array(OrganizationQuotaSchema),
    handler: ({ params }) => listQuotas(domain.db, params.organizationId),
  });
}
