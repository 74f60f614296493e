import type { App, RouteContext } from '../../route-context.js';
import { registerHealth } from './health.js';
import { registerReady } from './ready.js';

export function registerHealthRoutes(app: App, context: RouteContext): void {
  registerHealth(app);
  registerReady(app, context);
}
