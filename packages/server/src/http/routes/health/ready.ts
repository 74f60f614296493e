import { Type } from '@sinclair/typebox';
import { pingDatabase } from '../../../db/reachability.js';
import { unavailable } from '../../../domain/errors.js';
import { endpoint } from '../../route-context.js';

const READY_TIMEOUT_MS = 2000;

/** Readiness for load balancers: 200 while the database answers, 503 otherwise. No auth. */
export default endpoint({
  method: 'GET',
  url: '/ready',
  operationId: 'ready',
  summary: 'Readiness: the database is reachable',
  tag: 'Health',
  access: 'public',
  result: Type.Object({ status: Type.Literal('ready') }),
  examples: { result: { status: 'ready' }, unavailable: 'Not ready: the database is unreachable' },
  handler: async (_, { domain }) => {
    try {
      await pingDatabase(domain.db, READY_TIMEOUT_MS);
    } catch {
      throw unavailable('Not ready: the database is unreachable');
    }
    return { status: 'ready' as const };
  },
});
