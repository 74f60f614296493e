import { FaultRulesSchema } from '../../../schemas/controls.js';
import type { ControlsContext } from '../../controls/controls-context.js';
import { endpoint } from '../../endpoint.js';
import type { App } from '../../route-context.js';

export function registerGetFaults(app: App, { faults }: ControlsContext): void {
  endpoint(app, {
    method: 'GET',
    url: '/faults',
    operationId: 'controlsFaultsGet',
    summary: 'The fault rules, with how often each has fired and may still fire',
    access: 'controls',
    result: FaultRulesSchema,
    handler: async () => faults.state(),
  });
}
