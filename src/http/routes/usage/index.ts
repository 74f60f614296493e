import type { App, RouteContext } from '../../route-context.js';
import { registerGetUsageCost } from './get.js';

export function registerUsageRoutes(app: App, context: RouteContext): void {
  registerGetUsageCost(app, context);
}
