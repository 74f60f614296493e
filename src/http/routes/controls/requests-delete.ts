import type { ControlsContext } from '../../controls/controls-context.js';
import { endpoint } from '../../endpoint.js';
import type { App } from '../../route-context.js';

export function registerDeleteRequests(app: App, { journal }: ControlsContext): void {
  endpoint(app, {
    method: 'DELETE',
    url: '/requests',
    operationId: 'controlsRequestsDelete',
    summary: 'Empty the request journal',
    access: 'controls',
    handler: async () => journal.clear(),
  });
}
