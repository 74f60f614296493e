import { ClockSetBody, ClockStateSchema } from '../../../schemas/controls.js';
import type { ControlsContext } from '../../controls/controls-context.js';
import { endpoint } from '../../endpoint.js';
import type { App } from '../../route-context.js';
import { assertClockMayRead, clockResult } from './clock-result.js';

export function registerSetClock(app: App, { clock, domain }: ControlsContext): void {
  endpoint(app, {
    method: 'PUT',
    url: '/clock',
    operationId: 'controlsClockSet',
    summary: 'Set the emulator clock: frozen at an instant, or running on from it',
    access: 'controls',
    body: ClockSetBody,
    result: ClockStateSchema,
    handler: async ({ body }) => {
      const at = Date.parse(body.now);
      await assertClockMayRead(domain.db, at, 'now');
      clock.set(new Date(at), body.frozen ?? false);
      return clockResult(clock);
    },
  });
}
