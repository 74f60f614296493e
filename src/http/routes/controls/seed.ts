import { applyFixture } from '../../../domain/fixtures/seed.js';
import { FixtureSchema } from '../../../domain/fixtures/fixture-schema.js';
import { SeedSummarySchema } from '../../../schemas/controls.js';
import type { ControlsContext } from '../../controls/controls-context.js';
import { endpoint } from '../../endpoint.js';
import type { App } from '../../route-context.js';

/** A snapshot carries the whole activity log, so a seed may be far larger than an API body. */
export const SEED_BODY_LIMIT_BYTES = 64 * 1024 * 1024;

export function registerSeed(app: App, { domain }: ControlsContext): void {
  endpoint(app, {
    method: 'POST',
    url: '/seed',
    operationId: 'controlsSeed',
    summary: 'Apply a fixture on top of the current state, all or nothing (409 names a conflicting ID)',
    access: 'controls',
    body: FixtureSchema,
    bodyLimit: SEED_BODY_LIMIT_BYTES,
    conflicts: true,
    result: SeedSummarySchema,
    handler: async ({ body }) => applyFixture(domain, body),
  });
}
