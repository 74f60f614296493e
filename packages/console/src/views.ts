import type { FunctionComponent } from 'preact';
import { ApiKeysView } from './views/api-keys.js';
import { OrganizationView } from './views/organization.js';
import { RolesView } from './views/roles.js';

/** The console's views, in the navigation's order: each has its own URL under /console/. */
export const VIEWS: { path: string; name: string; component: FunctionComponent; controlsOnly?: boolean }[] = [
  { path: '/console/organization', name: 'Organization', component: OrganizationView },
  { path: '/console/keys', name: 'API keys', component: ApiKeysView },
  { path: '/console/roles', name: 'Roles', component: RolesView },
];
