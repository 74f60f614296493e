import { Type } from '@sinclair/typebox';
import { endpoint } from '../../route-context.js';

/** Liveness for load balancers: the process is up and serving. No auth, no database. */
export default endpoint({
  method: 'GET',
  url: '/health',
  operationId: 'health',
  summary: 'Liveness: the process serves requests',
  tag: 'Health',
  access: 'public',
  result: Type.Object({ status: Type.Literal('ok') }),
  examples: { result: { status: 'ok' } },
  handler: async () => ({ status: 'ok' as const }),
});
