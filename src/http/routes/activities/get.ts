import { getActivity } from '../../../domain/activities/activity.service.js';
import { ActivityParams, ActivitySchema } from '../../../schemas/activity.js';
import { endpoint } from '../../endpoint.js';
import type { App, RouteContext } from '../../route-context.js';

export function registerGetActivity(app: App, { domain }: RouteContext): void {
  endpoint(app, {
    method: 'GET',
    url: '/organizations/:organizationId/activities/:activityId',
    operationId: 'activityGet',
    summary: 'Get one organization activity',
    access: 'control-plane:organization:view',
    params: ActivityParams,
    result: ActivitySchema,
    handler: ({ params }) => getActivity(domain.db, params.organizationId, params.activityId),
  });
}
