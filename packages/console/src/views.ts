import type { FunctionComponent } from 'preact';
import { ActivityView } from './views/activity.js';
import { ApiKeysView } from './views/api-keys.js';
import { ByocView } from './views/byoc.js';
import { EmulatorView } from './views/emulator.js';
import { InvitationsView } from './views/invitations.js';
import { MembersView } from './views/members.js';
import { OrganizationView } from './views/organization.js';
import { RolesView } from './views/roles.js';
import { UsageView } from './views/usage.js';

/** The console's views, in the navigation's order: each has its own URL under /console/. */
export const VIEWS: { path: string; name: string; component: FunctionComponent; controlsOnly?: boolean }[] = [
  { path: '/console/organization', name: 'Organization', component: OrganizationView },
  { path: '/console/keys', name: 'API keys', component: ApiKeysView },
  { path: '/console/roles', name: 'Roles', component: RolesView },
  { path: '/console/members', name: 'Members', component: MembersView },
  { path: '/console/invitations', name: 'Invitations', component: InvitationsView },
  { path: '/console/byoc', name: 'BYOC', component: ByocView },
  { path: '/console/usage', name: 'Usage', component: UsageView },
  { path: '/console/activity', name: 'Activity', component: ActivityView },
  { path: '/console/emulator', name: 'Emulator', component: EmulatorView, controlsOnly: true },
];
