import type { App, RouteContext } from '../../route-context.js';
import { registerDeleteMember } from './delete.js';
import { registerGetMember } from './get.js';
import { registerListMembers } from './list.js';
import { registerUpdateMember } from './update.js';

export function registerMemberRoutes(app: App, context: RouteContext): void {
  registerListMembers(app, context);
  registerGetMember(app, context);
  registerUpdateMember(app, context);
  registerDeleteMember(app, context);
}
