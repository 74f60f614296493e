import { resetState } from '../../../domain/fixtures/reset.js';
import { ResetResultSchema } from '../../../schemas/controls.js';
import { controlEndpoint } from '../../controls/controls-context.js';

export default controlEndpoint({
  method: 'POST',
  url: '/reset',
  operationId: 'controlsReset',
  summary: "Empty the database, or return it to the --seed fixture, in one transaction; restart the clock; forget this instance's caches, counters, fault rules and journal",
  tag: 'Emulator controls',
  access: 'controls',
  result: ResetResultSchema,
  handler: async (_, { domain, clock, seed, forgetInstanceState }) => {
    // First, so that the fixture's defaults are stamped with the restarted clock's time.
    clock.restart();
    const { seeded, deletedKeyIds } = await resetState(domain, seed);
    // The deleted keys' shared rate-limit counters go too, and no one else's.
    await forgetInstanceState(deletedKeyIds);
    return { seeded: seeded ?? null };
  },
});
