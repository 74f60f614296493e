import type { App, RouteContext } from '../../route-context.js';
import { registerCreateRole } from './create.js';
import { registerDeleteRole } from './delete.js';
import { registerGetRole } from './get.js';
import { registerListRoles } from './list.js';
import { registerUpdateRole } from './update.js';

export function registerRoleRoutes(app: App, context: RouteContext): void {
  registerListRoles(app, context);
  registerCreateRole(app, context);
  registerGetRole(app, context);
  registerUpdateRole(app, context);
  registerDeleteRole(app, context);
}
