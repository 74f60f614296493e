import type { App, RouteContext } from '../../route-context.js';
import { registerCreateByocInfrastructure } from './create.js';
import { registerDeleteByocInfrastructure } from './delete.js';
import { registerUpdateByocInfrastructure } from './update.js';

export function registerByocRoutes(app: App, context: RouteContext): void {
  registerCreateByocInfrastructure(app, context);
  registerUpdateByocInfrastructure(app, context);
  registerDeleteByocInfrastructure(app, context);
}
