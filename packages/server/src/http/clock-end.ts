import type { ControlledClock } from '../clock.js';
import { badRequest } from '../domain/errors.js';
import { LATEST_INSTANT } from '../domain/instants.js';
import type { App } from './app-instance.js';
import { isControlRequest } from './controls/control-requests.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses every API write (400) while the emulator's clock stands at the end
 * of the instant range: whatever it wrote would be stamped with the same last
 * instant as what came before, or could not be stamped at all. Reads still
 * answer, and the controls (set the clock back, reset) still work. After
 * authentication and validation, so a bad request gets its own answer first.
 */
export function refuseWritesAtClockEnd(app: App, clock: ControlledClock): void {
  app.addHook('preHandler', async (request) => {
    if (READS.has(request.method) || isControlRequest(request) || !clock.atEnd()) return;
    throw badRequest(`The clock reached the end of the instant range (${new Date(LATEST_INSTANT).toISOString()}): nothing more can be written; set the clock back (PUT /_orgplane/clock) or reset`);
  });
}
