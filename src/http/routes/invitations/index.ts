import type { App, RouteContext } from '../../route-context.js';
import { registerCreateInvitation } from './create.js';
import { registerDeleteInvitation } from './delete.js';
import { registerGetInvitation } from './get.js';
import { registerListInvitations } from './list.js';

export function registerInvitationRoutes(app: App, context: RouteContext): void {
  registerListInvitations(app, context);
  registerCreateInvitation(app, context);
  registerGetInvitation(app, context);
  registerDeleteInvitation(app, context);
}
