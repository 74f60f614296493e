import type { App, RouteContext } from '../../route-context.js';
import { registerGetQuota } from './get.js';
import { registerListQuotas } from './list.js';

export function registerQuotaRoutes(app: App, context: RouteContext): void {
  registerListQuotas(app, context);
  registerGetQuota(app, context);
}
