import { Type } from '@sinclair/typebox';
import { streamActivities } from '../../../domain/activities/activity.service.js';
import { parseDateRange } from '../../../domain/date-range.js';
import { ActivityListQuery, ActivitySchema } from '../../../schemas/activity.js';
import { OrganizationIdParams } from '../../../schemas/organization.js';
import { endpoint } from '../../endpoint.js';
import { createArrayEnvelopeStreamer } from '../../json-array-stream.js';
import type { App, RouteContext } from '../../route-context.js';

// The log can hold millions of activities: the list is streamed page by page (see json-array-stream.ts).
const streamEnvelope = createArrayEnvelopeStreamer(ActivitySchema);

export function registerListActivities(app: App, { domain }: RouteContext): void {
  endpoint(app, {
    method: 'GET',
    url: '/organizations/:organizationId/activities',
    operationId: 'activityGetList',
    summary: 'List organization activities, newest first',
    access: 'control-plane:organization:view',
    params: OrganizationIdParams,
    querystring: ActivityListQuery,
    result: Type.Array(ActivitySchema),
    handler: async ({ params, query, request, stream }) => {
      const range = parseDateRange(query.from_date, query.to_date);
      return stream(streamEnvelope(request.id, await streamActivities(domain.db, params.organizationId, range)));
    },
  });
}
