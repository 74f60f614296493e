import { ClockStateSchema } from '../../../schemas/controls.js';
import type { ControlsContext } from '../../controls/controls-context.js';
import { endpoint } from '../../endpoint.js';
import type { App } from '../../route-context.js';
import { clockResult } from './clock-result.js';

export function registerGetClock(app: App, { clock }: ControlsContext): void {
  endpoint(app, {
    method: 'GET',
    url: '/clock',
    operationId: 'controlsClockGet',
    summary: "The emulator clock's time, and whether it is frozen",
    access: 'controls',
    result: ClockStateSchema,
    handler: async () => clockResult(clock),
  });
}
