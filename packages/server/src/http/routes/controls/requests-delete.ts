import { controlEndpoint } from '../../controls/controls-context.js';

export default controlEndpoint({
  method: 'DELETE',
  url: '/requests',
  operationId: 'controlsRequestsDelete',
  summary: 'Empty the request journal',
  tag: 'Emulator controls',
  access: 'controls',
  handler: async (_, { journal }) => journal.clear(),
});
