import { getActivity } from '../../../domain/activities/activity.service.js';
import { ActivityParams, ActivitySchema } from '../../../schemas/activity.js';
import { example } from '../../openapi-examples.js';
import { endpoint } from '../../route-context.js';

export default endpoint({
  method: 'GET',
  url: '/organizations/:organizationId/activities/:activityId',
  operationId: 'activityGet',
  summary: 'Get one organization activity',
  tag: 'Organization',
  access: 'control-plane:organization:view',
  params: ActivityParams,
  result: ActivitySchema,
  examples: { result: example.activities[0], notFound: 'Activity not found' },
  handler: ({ params }, { domain }) => getActivity(domain.db, params.organizationId, params.activityId),
});
