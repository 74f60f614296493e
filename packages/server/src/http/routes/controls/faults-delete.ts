import { controlEndpoint } from '../../controls/controls-context.js';

export default controlEndpoint({
  method: 'DELETE',
  url: '/faults',
  operationId: 'controlsFaultsDelete',
  summary: 'Remove every fault rule',
  tag: 'Emulator controls',
  access: 'controls',
  handler: async (_, { faults }) => faults.clear(),
});
