import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../../clock.js';
import type { Executor } from '../../db/executor.js';
import type { Database } from '../../db/schema.js';
import { ApiError, badRequest } from '../../http/errors.js';
import type { Actor } from '../actor.js';
import { GENESIS_HASH, linkActivity, type ChainHead } from '../activities/activity-chain.js';
import { insertActivities } from '../activities/activity.repository.js';
import { newActivity, recordActivity } from '../activities/activity.service.js';
import type { ActivityRow } from '../activities/activity.table.js';
import { regionBelongsTo, type CloudProvider } from '../cloud-regions.js';
import {
  deletePrivateEndpoints,
  findOrganizationWithEndpoints,
  insertOrganization,
  listPrivateEndpoints,
  lockOrganization,
  nextEndpointPosition,
  saveOrganizationState,
  upsertPrivateEndpoint,
} from './organization.repository.js';
import type { OrganizationRow, PrivateEndpointRow } from './organization.table.js';
import { transact } from '../../db/transaction.js';
import { WriteBatcher } from '../../db/write-batcher.js';

export interface PrivateEndpoint {
  id: string;
  description: string;
  cloudProvider: string;
  region: string;
}

/** The API's Organization shape. byocConfig stays empty until BYOC infrastructure exists. */
export interface Organization {
  id: string;
  createdAt: string;
  name: string;
  privateEndpoints: PrivateEndpoint[];
  byocConfig: never[];
  enableCoreDumps: boolean;
}

export interface PrivateEndpointInput {
  id: string;
  description?: string;
  cloudProvider?: CloudProvider;
  region?: string;
}

export interface OrganizationPatch {
  name?: string;
  enableCoreDumps?: boolean;
  privateEndpoints?: { add?: PrivateEndpointInput[]; remove?: PrivateEndpointInput[] };
}

function toOrganization(row: OrganizationRow, endpoints: PrivateEndpointRow[]): Organization {
  return {
    id: row.id,
    createdAt: row.created_at,
    name: row.name,
    privateEndpoints: endpoints.map((e) => ({ id: e.id, description: e.description, cloudProvider: e.cloud_provider, region: e.region })),
    byocConfig: [],
    enableCoreDumps: row.enable_core_dumps === 1,
  };
}

export async function getOrganization(db: Executor, id: string): Promise<Organization | undefined> {
  const found = await findOrganizationWithEndpoints(db, id);
  return found && toOrganization(found.organization, found.endpoints);
}

/** Creates an organization and its create_organization activity inside the caller's transaction. */
export async function createOrganization(trx: Executor, clock: Clock, name: string, actor: Actor): Promise<OrganizationRow> {
  const row: OrganizationRow = {
    id: randomUUID(),
    name,
    created_at: clock.now().toISOString(),
    enable_core_dumps: 0,
    version: 0,
    activity_seq: 0,
    activity_hash: GENESIS_HASH,
  };
  await insertOrganization(trx, row);
  await recordActivity(trx, clock, row.id, 'create_organization', actor);
  return row;
}

/** Endpoints to add must name a provider and a region of that provider; checked before anything is written. */
function validateEndpointsToAdd(add: PrivateEndpointInput[]): Required<PrivateEndpointInput>[] {
  return add.map((endpoint, i) => {
    const field = `privateEndpoints.add[${i}]`;
    if (endpoint.cloudProvider === undefined) throw badRequest(`Missing required field '${field}.cloudProvider'`);
    if (endpoint.region === undefined) throw badRequest(`Missing required field '${field}.region'`);
    if (!regionBelongsTo(endpoint.cloudProvider, endpoint.region)) {
      throw badRequest(`Invalid field '${field}.region': region '${endpoint.region}' is not a ${endpoint.cloudProvider} region`);
    }
    return { id: endpoint.id, description: endpoint.description ?? '', cloudProvider: endpoint.cloudProvider, region: endpoint.region };
  });
}

interface PendingPatch {
  clock: Clock;
  actor: Actor;
  name?: string;
  enableCoreDumps?: boolean;
  toAdd: Required<PrivateEndpointInput>[];
  toRemove: string[];
}

/**
 * Upper bound on the PATCHes of one organization applied in one transaction,
 * so a batch stays a short transaction (one multi-row activity insert).
 */
const MAX_PATCHES_PER_BATCH = 64;
const batchers = new WeakMap<Kysely<Database>, WriteBatcher<string, PendingPatch, Organization>>();

/**
 * Applies a PATCH: name, core dumps, then private endpoints (remove before
 * add; removing an unknown id is a no-op; adding a known id updates it). Only
 * a real name change is recorded: the vendor's activity enum has no
 * organization-level type for endpoint or core-dump changes. Input is checked
 * before anything is written. Concurrent PATCHes of one organization are
 * applied together, in arrival order, in one transaction (see WriteBatcher);
 * each still gets the organization as its own change left it.
 */
export async function updateOrganization(
  db: Kysely<Database>,
  clock: Clock,
  id: string,
  patch: OrganizationPatch,
  actor: Actor,
): Promise<Organization> {
  const pending: PendingPatch = {
    clock,
    actor,
    name: patch.name,
    enableCoreDumps: patch.enableCoreDumps,
    toAdd: validateEndpointsToAdd(patch.privateEndpoints?.add ?? []),
    toRemove: (patch.privateEndpoints?.remove ?? []).map((e) => e.id),
  };
  let batcher = batchers.get(db);
  if (!batcher) {
    batcher = new WriteBatcher((organizationId, patches) => applyPatches(db, organizationId, patches), MAX_PATCHES_PER_BATCH);
    batchers.set(db, batcher);
  }
  return batcher.submit(id, pending);
}

/**
 * One transaction under the organization's write lock for a batch of PATCHes:
 * each is applied in memory to the state the previous one left, endpoint
 * changes are written as they come, and the organization row (fields and
 * chain head) and the batch's activities are written once at the end.
 */
async function applyPatches(db: Kysely<Database>, id: string, patches: PendingPatch[]): Promise<Organization[]> {
  return transact(db, async (trx) => {
    const current = await lockOrganization(trx, id);
    if (!current) throw new ApiError('NOT_FOUND', 'Organization not found');

    let state = current;
    let head: ChainHead = { seq: Number(current.activity_seq), hash: current.activity_hash };
    let endpoints = await listPrivateEndpoints(trx, id);
    const activities: ActivityRow[] = [];
    const results: Organization[] = [];
    for (const patch of patches) {
      const next = {
        ...state,
        name: patch.name ?? state.name,
        enable_core_dumps: patch.enableCoreDumps === undefined ? state.enable_core_dumps : patch.enableCoreDumps ? 1 : 0,
      };
      if (next.name !== state.name) {
        const linked = linkActivity(head, newActivity(patch.clock, id, 'organization_update_name', patch.actor));
        activities.push(linked.row);
        head = linked.head;
      }
      if (patch.toRemove.length > 0 || patch.toAdd.length > 0) {
        await changePrivateEndpoints(trx, id, patch.toRemove, patch.toAdd);
        endpoints = await listPrivateEndpoints(trx, id);
      }
      state = next;
      results.push(toOrganization(state, endpoints));
    }

    if (state.name !== current.name || state.enable_core_dumps !== current.enable_core_dumps || activities.length > 0) {
      await saveOrganizationState(trx, { id, name: state.name, enable_core_dumps: state.enable_core_dumps, activity_seq: head.seq, activity_hash: head.hash });
    }
    await insertActivities(trx, activities);
    return results;
  });
}

async function changePrivateEndpoints(trx: Executor, id: string, toRemove: string[], toAdd: Required<PrivateEndpointInput>[]): Promise<void> {
  await deletePrivateEndpoints(trx, id, toRemove);
  if (toAdd.length === 0) return;
  let position = await nextEndpointPosition(trx, id);
  for (const endpoint of toAdd) {
    await upsertPrivateEndpoint(trx, {
      organization_id: id,
      id: endpoint.id,
      description: endpoint.description,
      cloud_provider: endpoint.cloudProvider,
      region: endpoint.region,
      position: position++,
    });
  }
}
