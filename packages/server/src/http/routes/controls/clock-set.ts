import { ClockSetBody, ClockStateSchema } from '../../../schemas/controls.js';
import { controlEndpoint } from '../../controls/controls-context.js';
import { assertClockMayRead, clockResult } from './clock-result.js';

export default controlEndpoint({
  method: 'PUT',
  url: '/clock',
  operationId: 'controlsClockSet',
  summary: 'Set the emulator clock: frozen at an instant, or running on from it',
  tag: 'Emulator controls',
  access: 'controls',
  body: ClockSetBody,
  result: ClockStateSchema,
  handler: async ({ body }, { clock, domain }) => {
    const at = Date.parse(body.now);
    await assertClockMayRead(domain.db, at, 'now');
    clock.set(new Date(at), body.frozen ?? false);
    return clockResult(clock);
  },
});
