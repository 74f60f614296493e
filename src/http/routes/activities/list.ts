import { Type } from '@sinclair/typebox';
import { streamActivities } from '../../../domain/activities/activity.service.js';
import { DateRangeError, parseDateRange } from '../../../domain/date-range.js';
import { badRequest } from '../../errors.js';
import { createArrayEnvelopeStreamer } from '../../json-array-stream.js';
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

// The log can hold millions of activities: the list is streamed page by page (see json-array-stream.ts).
const streamEnvelope = createArrayEnvelopeStreamer(ActivitySchema);

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
    async (request, reply) => {
      const principal = requireAccess(request.principal, request.params.organizationId, 'read');
      let range;
      try {
        range = parseDateRange(request.query.from_date, request.query.to_date);
      } catch (err) {
        if (err instanceof DateRangeError) throw badRequest(`Invalid query parameter '${err.field}': ${err.message}`);
        throw err;
      }
      const pages = await streamActivities(db, principal.organizationId, range);
      // The stream emits exactly the 200 schema's shape; the schema stays declared for the OpenAPI document.
      return reply.type('application/json; charset=utf-8').send(streamEnvelope(request.id, pages) as never);
    },
  );
}
