import { applyFixture } from '../../../domain/fixtures/seed.js';
import { FixtureSchema } from '../../../domain/fixtures/fixture-schema.js';
import { SeedSummarySchema } from '../../../schemas/controls.js';
import { controlEndpoint } from '../../controls/controls-context.js';

/** A snapshot carries the whole activity log, so a seed may be far larger than an API body. */
export const SEED_BODY_LIMIT_BYTES = 64 * 1024 * 1024;

export default controlEndpoint({
  method: 'POST',
  url: '/seed',
  operationId: 'controlsSeed',
  summary: 'Apply a fixture on top of the current state, all or nothing (409 names a conflicting ID)',
  tag: 'Emulator controls',
  access: 'controls',
  body: FixtureSchema,
  bodyLimit: SEED_BODY_LIMIT_BYTES,
  conflicts: true,
  result: SeedSummarySchema,
  handler: async ({ body }, { domain }) => applyFixture(domain, body),
});
