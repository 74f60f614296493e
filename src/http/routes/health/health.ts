import { Type } from '@sinclair/typebox';
import { endpoint } from '../../endpoint.js';
import type { App } from '../../route-context.js';

/** Liveness for load balancers: the process is up and serving. No auth, no database. */
export function registerHealth(app: App): void {
  endpoint(app, {
    method: 'GET',
    url: '/health',
    operationId: 'health',
    summary: 'Liveness: the process serves requests',
    access: 'public',
    result: Type.Object({ status: Type.Literal('ok') }),
    handler: async () => ({ status: 'ok' as const }),
  });
}
