import { Type } from '@sinclair/typebox';
import { getActivities } from '../../../domain/activities/activity.service.js';
import { DateRangeError, parseDateRange } from '../../../domain/date-range.js';
import { successBody } from '../../envelope.js';
import { badRequest } from '../../errors.js';
import { requireAccess } from '../../principal.js';
import type { App, RouteContext } from '../../route-context.js';
import { ActivitySchema, envelope, OrganizationIdParams } from '../../schemas.js';

const ActivityListQuery = Type.Object(
  {
    from_date: Type.Optional(Type.String({ description: 'RFC 3339 date-time or YYYY-MM-DD (start of that UTC day), inclusive' })),
    to_date: Type.Optional(Type.String({ description: 'RFC 3339 date-time or YYYY-MM-DD (end of that UTC day), inclusive' })),
  },
  { additionalProperties: false },
);

export function registerListActivities(app: App, { db }: RouteContext): void {
  app.get(
    '/organizations/:organizationId/activities',
    {
      schema: {
        operationId: 'activityGetList',
        summary: 'List organization activities, newest first',
        params: OrganizationIdParams,
        querystring: ActivityListQuery,
        response: { 200: envelope(Type.Array(ActivitySchema)) },
      },
    },
    async (request) => {
      const principal = requireAccess(request.principal, request.params.organizationId, 'read');
      let range;
      try {
        range = parseDateRange(request.query.from_date, request.query.to_date);
      } catch (err) {
        if (err instanceof DateRangeError) throw badRequest(`Invalid query parameter '${err.field}': ${err.message}`);
        throw err;
      }
      return successBody(request.id, await getActivities(db, principal.organizationId, range));
    },
  );
}
