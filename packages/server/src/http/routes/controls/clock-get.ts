import { ClockStateSchema } from '../../../schemas/controls.js';
import { controlEndpoint } from '../../controls/controls-context.js';
import { clockResult } from './clock-result.js';

export default controlEndpoint({
  method: 'GET',
  url: '/clock',
  operationId: 'controlsClockGet',
  summary: "The emulator clock's time, and whether it is frozen",
  tag: 'Emulator controls',
  access: 'controls',
  result: ClockStateSchema,
  handler: async (_, { clock }) => clockResult(clock),
});
