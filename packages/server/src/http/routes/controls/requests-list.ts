import { Type } from '@sinclair/typebox';
import { badRequest } from '../../../domain/errors.js';
import { JournalEntrySchema, JournalQuery } from '../../../schemas/controls.js';
import { controlEndpoint } from '../../controls/controls-context.js';

const DEFAULT_LIMIT = 100;

export default controlEndpoint({
  method: 'GET',
  url: '/requests',
  operationId: 'controlsRequestsGetList',
  summary: 'The most recent API requests this instance answered, newest first, bodies without secrets',
  tag: 'Emulator controls',
  access: 'controls',
  querystring: JournalQuery,
  result: Type.Array(JournalEntrySchema),
  handler: async ({ query }, { journal }) => journal.list(limitOf(query.limit, journal.capacity)),
});

/** Query parameters are strings (types are not coerced): a decimal integer from 1 to the journal's size. */
function limitOf(value: string | undefined, max: number): number {
  if (value === undefined) return Math.min(DEFAULT_LIMIT, max);
  const limit = /^[1-9][0-9]*$/.test(value) ? Number(value) : NaN;
  if (!(limit <= max)) throw badRequest(`Invalid query parameter 'limit': must be an integer from 1 to ${max}`);
  return limit;
}
