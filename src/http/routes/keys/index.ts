import type { App, RouteContext } from '../../route-context.js';
import { registerCreateKey } from './create.js';
import { registerDeleteKey } from './delete.js';
import { registerGetKey } from './get.js';
import { registerListKeys } from './list.js';
import { registerUpdateKey } from './update.js';

export function registerKeyRoutes(app: App, context: RouteContext): void {
  registerListKeys(app, context);
  registerCreateKey(app, context);
  registerGetKey(app, context);
  registerUpdateKey(app, context);
  registerDeleteKey(app, context);
}
