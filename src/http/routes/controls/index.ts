import { CONTROLS_PREFIX } from '../../controls/control-requests.js';
import type { ControlsContext } from '../../controls/controls-context.js';
import { requireControlsToken } from '../../controls/controls-token.js';
import type { App } from '../../route-context.js';
import { registerAdvanceClock } from './clock-advance.js';
import { registerResetClock } from './clock-delete.js';
import { registerGetClock } from './clock-get.js';
import { registerSetClock } from './clock-set.js';
import { registerFixtureSchema } from './fixture-schema.js';
import { registerReset } from './reset.js';
import { registerSeed } from './seed.js';
import { registerSnapshot } from './snapshot.js';
import { registerDeleteFaults } from './faults-delete.js';
import { registerGetFaults } from './faults-get.js';
import { registerSetFaults } from './faults-set.js';
import { registerDeleteRequests } from './requests-delete.js';
import { registerListRequests } from './requests-list.js';

/** The emulator controls, under /_orgplane and behind the controls token when one is set. */
export async function registerControlRoutes(app: App, context: ControlsContext): Promise<void> {
  await app.register(
    async (controls: App) => {
      if (context.token !== null) controls.addHook('onRequest', requireControlsToken(context.token));
      registerGetClock(controls, context);
      registerSetClock(controls, context);
      registerAdvanceClock(controls, context);
      registerResetClock(controls, context);
      registerSeed(controls, context);
      registerReset(controls, context);
      registerSnapshot(controls, context);
      registerFixtureSchema(controls);
      registerGetFaults(controls, context);
      registerSetFaults(controls, context);
      registerDeleteFaults(controls, context);
      registerListRequests(controls, context);
      registerDeleteRequests(controls, context);
    },
    { prefix: CONTROLS_PREFIX },
  );
}
