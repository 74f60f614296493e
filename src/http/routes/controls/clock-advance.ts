import { ClockAdvanceBody, ClockStateSchema } from '../../../schemas/controls.js';
import type { ControlsContext } from '../../controls/controls-context.js';
import { endpoint } from '../../endpoint.js';
import type { App } from '../../route-context.js';
import { assertClockMayRead, clockResult } from './clock-result.js';

export function registerAdvanceClock(app: App, { clock, domain }: ControlsContext): void {
  endpoint(app, {
    method: 'POST',
    url: '/clock/advance',
    operationId: 'controlsClockAdvance',
    summary: 'Move the emulator clock by a number of seconds (frozen or not, it stays so)',
    access: 'controls',
    body: ClockAdvanceBody,
    result: ClockStateSchema,
    handler: async ({ body }) => {
      const ms = Math.round(body.seconds * 1000);
      await assertClockMayRead(domain.db, clock.now().getTime() + ms, 'seconds');
      clock.advance(ms);
      return clockResult(clock);
    },
  });
}
