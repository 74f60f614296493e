import { Type } from '@sinclair/typebox';
import { successBody } from '../../envelope.js';
import type { App } from '../../route-context.js';
import { envelope } from '../../schemas.js';

/** Liveness for load balancers: the process is up and serving. No auth, no database. */
export function registerHealth(app: App): void {
  app.get(
    '/health',
    {
      schema: {
        operationId: 'health',
        summary: 'Liveness: the process serves requests',
        response: { 200: envelope(Type.Object({ status: Type.Literal('ok') })) },
      },
    },
    async (request) => successBody(request.id, { status: 'ok' as const }),
  );
}
