import { Type } from '@sinclair/typebox';
import { pingDatabase } from '../../../db/reachability.js';
import { successBody } from '../../envelope.js';
import { ApiError } from '../../errors.js';
import type { App, RouteContext } from '../../route-context.js';
import { envelope } from '../../schemas.js';

const READY_TIMEOUT_MS = 2000;

/** Readiness for load balancers: 200 while the database answers, 503 otherwise. No auth. */
export function registerReady(app: App, { db }: RouteContext): void {
  app.get(
    '/ready',
    {
      schema: {
        operationId: 'ready',
        summary: 'Readiness: the database is reachable',
        response: { 200: envelope(Type.Object({ status: Type.Literal('ready') })) },
      },
    },
    async (request) => {
      try {
        await pingDatabase(db, READY_TIMEOUT_MS);
      } catch {
        throw new ApiError('UNAVAILABLE', 'Not ready: the database is unreachable');
      }
      return successBody(request.id, { status: 'ready' as const });
    },
  );
}
