import { FaultRulesSchema } from '../../../schemas/controls.js';
import { controlEndpoint } from '../../controls/controls-context.js';

export default controlEndpoint({
  method: 'GET',
  url: '/faults',
  operationId: 'controlsFaultsGet',
  summary: 'The fault rules, with how often each has fired and may still fire',
  tag: 'Emulator controls',
  access: 'controls',
  result: FaultRulesSchema,
  handler: async (_, { faults }) => faults.state(),
});
