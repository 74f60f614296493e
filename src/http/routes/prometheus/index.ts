import type { App, RouteContext } from '../../route-context.js';
import { registerGetPrometheus } from './get.js';

export function registerPrometheusRoutes(app: App, context: RouteContext): void {
  registerGetPrometheus(app, context);
}
