import { ClockStateSchema } from '../../../schemas/controls.js';
import type { ControlsContext } from '../../controls/controls-context.js';
import { endpoint } from '../../endpoint.js';
import type { App } from '../../route-context.js';
import { assertClockMayRead, clockResult } from './clock-result.js';

export function registerResetClock(app: App, { clock, domain }: ControlsContext): void {
  endpoint(app, {
    method: 'DELETE',
    url: '/clock',
    operationId: 'controlsClockDelete',
    summary: 'Put the emulator clock back to real time',
    access: 'controls',
    result: ClockStateSchema,
    handler: async () => {
      await assertClockMayRead(domain.db, Date.now(), 'clock');
      clock.useRealTime();
      return clockResult(clock);
    },
  });
}
