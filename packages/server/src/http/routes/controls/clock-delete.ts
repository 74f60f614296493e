import { ClockStateSchema } from '../../../schemas/controls.js';
import { controlEndpoint } from '../../controls/controls-context.js';
import { assertClockMayRead, clockResult } from './clock-result.js';

export default controlEndpoint({
  method: 'DELETE',
  url: '/clock',
  operationId: 'controlsClockDelete',
  summary: 'Put the emulator clock back to real time',
  tag: 'Emulator controls',
  access: 'controls',
  result: ClockStateSchema,
  handler: async (_, { clock, domain }) => {
    await assertClockMayRead(domain.db, Date.now(), 'clock');
    clock.useRealTime();
    return clockResult(clock);
  },
});
