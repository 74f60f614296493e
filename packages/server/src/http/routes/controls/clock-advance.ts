import { ClockAdvanceBody, ClockStateSchema } from '../../../schemas/controls.js';
import { controlEndpoint } from '../../controls/controls-context.js';
import { assertClockMayRead, clockResult } from './clock-result.js';

export default controlEndpoint({
  method: 'POST',
  url: '/clock/advance',
  operationId: 'controlsClockAdvance',
  summary: 'Move the emulator clock by a number of seconds (frozen or not, it stays so)',
  tag: 'Emulator controls',
  access: 'controls',
  body: ClockAdvanceBody,
  result: ClockStateSchema,
  handler: async ({ body }, { clock, domain }) => {
    const ms = Math.round(body.seconds * 1000);
    await assertClockMayRead(domain.db, clock.now().getTime() + ms, 'seconds');
    clock.advance(ms);
    return clockResult(clock);
  },
});
