import type { FunctionComponent } from 'preact';
import { ActivityView } from './views/activity.js';
import { ApiKeysView } from './views/api-keys.js';
import { OrganizationView } from './views/organization.js';
import { UsageView } from './views/usage.js';

/** The console's views, in the navigation's order: each has its own URL under /console/. */
export const VIEWS: { path: string; name: string; component: FunctionComponent; controlsOnly?: boolean }[] = [
  { path: '/console/organization', name: 'Organization', component: OrganizationView },
  { path: '/console/keys', name: 'API keys', component: ApiKeysView },
  { path: '/console/usage', name: 'Usage', component: UsageView },
  { path: '/console/activity', name: 'Activity', component: ActivityView },
];
