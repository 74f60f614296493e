import { Type } from '@sinclair/typebox';
import { streamActivityJson } from '../../../domain/activities/activity.service.js';
import { parseDateRange } from '../../../domain/date-range.js';
import { ActivityListQuery, ActivitySchema } from '../../../schemas/activity.js';
import { OrganizationIdParams } from '../../../schemas/organization.js';
import { streamArrayEnvelope } from '../../json-array-stream.js';
import { example } from '../../openapi-examples.js';
import { endpoint } from '../../route-context.js';

// The log can hold millions of activities: the list is streamed page by page, as JSON text (see streamActivityJson).

export default endpoint({
  method: 'GET',
  url: '/organizations/:organizationId/activities',
  operationId: 'activityGetList',
  summary: 'List organization activities, newest first',
  tag: 'Organization',
  access: 'control-plane:organization:view',
  params: OrganizationIdParams,
  querystring: ActivityListQuery,
  result: Type.Array(ActivitySchema),
  examples: { result: example.activities },
  handler: async ({ params, query, request, stream }, { domain }) => {
    const range = parseDateRange(query.from_date, query.to_date);
    return stream(streamArrayEnvelope(request.id, await streamActivityJson(domain.db, params.organizationId, range)));
  },
});
