import { Type } from '@sinclair/typebox';
import { pingDatabase } from '../../../db/reachability.js';
import { unavailable } from '../../../domain/errors.js';
import { endpoint } from '../../endpoint.js';
import type { App, RouteContext } from '../../route-context.js';

const READY_TIMEOUT_MS = 2000;

/** Readiness for load balancers: 200 while the database answers, 503 otherwise. No auth. */
export function registerReady(app: App, { domain }: RouteContext): void {
  endpoint(app, {
    method: 'GET',
    url: '/ready',
    operationId: 'ready',
    summary: 'Readiness: the database is reachable',
    access: 'public',
    result: Type.Object({ status: Type.Literal('ready') }),
    handler: async () => {
      try {
        await pingDatabase(domain.db, READY_TIMEOUT_MS);
      } catch {
        throw unavailable('Not ready: the database is unreachable');
      }
      return { status: 'ready' as const };
    },
  });
}
