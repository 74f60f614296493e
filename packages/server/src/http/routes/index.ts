import { CONTROLS_PREFIX } from '../controls/control-requests.js';
import type { ControlsContext } from '../controls/controls-context.js';
import { requireControlsToken } from '../controls/controls-token.js';
import { registerEndpoints } from '../endpoint.js';
import type { RouteContext } from '../route-context.js';
import type { App } from '../app-instance.js';
import getActivity from './activities/get.js';
import createByocInfrastructure from './byoc/create.js';
import deleteByocInfrastructure from './byoc/delete.js';
import updateByocInfrastructure from './byoc/update.js';
import listActivities from './activities/list.js';
import advanceClock from './controls/clock-advance.js';
import resetClock from './controls/clock-delete.js';
import getClock from './controls/clock-get.js';
import setClock from './controls/clock-set.js';
import deleteFaults from './controls/faults-delete.js';
import getFaults from './controls/faults-get.js';
import setFaults from './controls/faults-set.js';
import fixtureSchema from './controls/fixture-schema.js';
import deleteRequests from './controls/requests-delete.js';
import listRequests from './controls/requests-list.js';
import reset from './controls/reset.js';
import seed from './controls/seed.js';
import snapshot from './controls/snapshot.js';
import health from './health/health.js';
import ready from './health/ready.js';
import createInvitation from './invitations/create.js';
import deleteInvitation from './invitations/delete.js';
import getInvitation from './invitations/get.js';
import listInvitations from './invitations/list.js';
import createKey from './keys/create.js';
import deleteKey from './keys/delete.js';
import getKey from './keys/get.js';
import listKeys from './keys/list.js';
import updateKey from './keys/update.js';
import deleteMember from './members/delete.js';
import getMember from './members/get.js';
import listMembers from './members/list.js';
import updateMember from './members/update.js';
import getOrganization from './organizations/get.js';
import listOrganizations from './organizations/list.js';
import getPrivateEndpointConfig from './organizations/private-endpoint-config.js';
import getPrometheus from './prometheus/get.js';
import getQuota from './quotas/get.js';
import listQuotas from './quotas/list.js';
import updateOrganization from './organizations/update.js';
import createRole from './roles/create.js';
import deleteRole from './roles/delete.js';
import getRole from './roles/get.js';
import listRoles from './roles/list.js';
import updateRole from './roles/update.js';
import getUsageCost from './usage/get.js';

/** The vendor's operations, under /v1, in the order the OpenAPI document lists them. */
const API = [
  listOrganizations,
  getOrganization,
  updateOrganization,
  getPrivateEndpointConfig,
  createByocInfrastructure,
  updateByocInfrastructure,
  deleteByocInfrastructure,
  listActivities,
  getActivity,
  listKeys,
  createKey,
  getKey,
  updateKey,
  deleteKey,
  listRoles,
  createRole,
  getRole,
  updateRole,
  deleteRole,
  listMembers,
  getMember,
  updateMember,
  deleteMember,
  listInvitations,
  createInvitation,
  getInvitation,
  deleteInvitation,
  listQuotas,
  getQuota,
  getUsageCost,
  getPrometheus,
];

/** Load-balancer probes, outside /v1, without credentials. */
const HEALTH = [health, ready];

/** The emulator controls, under /_orgplane, behind the controls token when one is set. */
const CONTROLS = [
  getClock,
  setClock,
  advanceClock,
  resetClock,
  seed,
  reset,
  snapshot,
  fixtureSchema,
  getFaults,
  setFaults,
  deleteFaults,
  listRequests,
  deleteRequests,
];

/** Registers every route of the API and the probes. */
export async function registerRoutes(app: App, context: RouteContext): Promise<void> {
  registerEndpoints(app, context, HEALTH);
  await app.register(async (v1: App) => registerEndpoints(v1, context, API), { prefix: '/v1' });
}

/** Registers the emulator controls (only with `serve --controls`). */
export async function registerControlRoutes(app: App, context: ControlsContext): Promise<void> {
  await app.register(
    async (controls: App) => {
      if (context.token !== null) controls.addHook('onRequest', requireControlsToken(context.token));
      registerEndpoints(controls, context, CONTROLS);
    },
    { prefix: CONTROLS_PREFIX },
  );
}
