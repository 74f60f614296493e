import type { App, RouteContext } from '../../route-context.js';
import { registerGetOrganization } from './get.js';
import { registerListOrganizations } from './list.js';
import { registerGetPrivateEndpointConfig } from './private-endpoint-config.js';
import { registerUpdateOrganization } from './update.js';

export function registerOrganizationRoutes(app: App, context: RouteContext): void {
  registerListOrganizations(app, context);
  registerGetOrganization(app, context);
  registerUpdateOrganization(app, context);
  registerGetPrivateEndpointConfig(app, context);
}
