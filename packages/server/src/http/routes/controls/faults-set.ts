import { FaultRulesBody, FaultRulesSchema } from '../../../schemas/controls.js';
import { controlEndpoint } from '../../controls/controls-context.js';

export default controlEndpoint({
  method: 'POST',
  url: '/faults',
  operationId: 'controlsFaultsSet',
  summary: 'Replace the fault rules: errors, delays or dropped connections for matching API requests',
  tag: 'Emulator controls',
  access: 'controls',
  body: FaultRulesBody,
  result: FaultRulesSchema,
  handler: async ({ body }, { faults }) => faults.replace(body.rules, body.seed),
});
