import { resetState } from '../../../domain/fixtures/reset.js';
import { ResetResultSchema } from '../../../schemas/controls.js';
import type { ControlsContext } from '../../controls/controls-context.js';
import { endpoint } from '../../endpoint.js';
import type { App } from '../../route-context.js';

export function registerReset(app: App, { domain, clock, seed, forgetInstanceState }: ControlsContext): void {
  endpoint(app, {
    method: 'POST',
    url: '/reset',
    operationId: 'controlsReset',
    summary: "Empty the database, or return it to the --seed fixture, in one transaction; restart the clock; forget this instance's caches, counters, fault rules and journal",
    access: 'controls',
    result: ResetResultSchema,
    handler: async () => {
      // First, so that the fixture's defaults are stamped with the restarted clock's time.
      clock.restart();
      const { seeded, deletedKeyIds } = await resetState(domain, seed);
      // The deleted keys' shared rate-limit counters go too, and no one else's.
      await forgetInstanceState(deletedKeyIds);
      return { seeded: seeded ?? null };
    },
  });
}
