import type { App, RouteContext } from '../../route-context.js';
import { registerGetActivity } from './get.js';
import { registerListActivities } from './list.js';

export function registerActivityRoutes(app: App, context: RouteContext): void {
  registerListActivities(app, context);
  registerGetActivity(app, context);
}
