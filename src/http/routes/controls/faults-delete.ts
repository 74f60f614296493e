import type { ControlsContext } from '../../controls/controls-context.js';
import { endpoint } from '../../endpoint.js';
import type { App } from '../../route-context.js';

export function registerDeleteFaults(app: App, { faults }: ControlsContext): void {
  endpoint(app, {
    method: 'DELETE',
    url: '/faults',
    operationId: 'controlsFaultsDelete',
    summary: 'Remove every fault rule',
    access: 'controls',
    handler: async () => faults.clear(),
  });
}
