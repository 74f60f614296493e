import { FaultRulesBody, FaultRulesSchema } from '../../../schemas/controls.js';
import type { ControlsContext } from '../../controls/controls-context.js';
import { endpoint } from '../../endpoint.js';
import type { App } from '../../route-context.js';

export function registerSetFaults(app: App, { faults }: ControlsContext): void {
  endpoint(app, {
    method: 'POST',
    url: '/faults',
    operationId: 'controlsFaultsSet',
    summary: 'Replace the fault rules: errors, delays or dropped connections for matching API requests',
    access: 'controls',
    body: FaultRulesBody,
    result: FaultRulesSchema,
    handler: async ({ body }) => faults.replace(body.rules, body.seed),
  });
}
