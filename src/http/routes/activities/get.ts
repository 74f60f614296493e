import { Type } from '@sinclair/typebox';
import { getActivity } from '../../../domain/activities/activity.service.js';
import { successBody } from '../../envelope.js';
import { ApiError } from '../../errors.js';
import { requireAccess } from '../../principal.js';
import type { App, RouteContext } from '../../route-context.js';
import { ActivitySchema, envelope, ID_PATTERN, Uuid } from '../../schemas.js';

const ActivityParams = Type.Object({ organizationId: Uuid, activityId: Type.String({ minLength: 1, maxLength: 64, pattern: ID_PATTERN }) }, { additionalProperties: false });

export function registerGetActivity(app: App, { db }: RouteContext): void {
  app.get(
    '/organizations/:organizationId/activities/:activityId',
    {
      schema: {
        operationId: 'activityGet',
        summary: 'Get one organization activity',
        params: ActivityParams,
        response: { 200: envelope(ActivitySchema) },
      },
    },
    async (request) => {
      const principal = requireAccess(request.principal, request.params.organizationId, 'read');
      const activity = await getActivity(db, principal.organizationId, request.params.activityId);
      if (!activity) throw new ApiError('NOT_FOUND', 'Activity not found');
      return successBody(request.id, activity);
    },
  );
}
