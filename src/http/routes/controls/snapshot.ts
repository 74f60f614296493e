import { FixtureSchema } from '../../../domain/fixtures/fixture-schema.js';
import { takeSnapshot } from '../../../domain/fixtures/snapshot.js';
import type { ControlsContext } from '../../controls/controls-context.js';
import { endpoint } from '../../endpoint.js';
import type { App } from '../../route-context.js';

export function registerSnapshot(app: App, { domain }: ControlsContext): void {
  endpoint(app, {
    method: 'GET',
    url: '/snapshot',
    operationId: 'controlsSnapshot',
    summary: 'The whole state as a fixture that seed accepts (key hashes, never secrets)',
    access: 'controls',
    result: FixtureSchema,
    handler: async () => takeSnapshot(domain),
  });
}
