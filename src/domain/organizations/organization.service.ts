import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../../clock.js';
import type { Executor } from '../../db/executor.js';
import type { Database } from '../../db/schema.js';
import { ApiError, badRequest } from '../../http/errors.js';
import type { Actor } from '../actor.js';
import { GENESIS_HASH } from '../activities/activity-chain.js';
import { recordActivity } from '../activities/activity.service.js';
import { regionBelongsTo, type CloudProvider } from '../cloud-regions.js';
import {
  deletePrivateEndpoints,
  findOrganization,
  insertOrganization,
  listPrivateEndpoints,
  lockOrganization,
  nextEndpointPosition,
  saveOrganizationFields,
  upsertPrivateEndpoint,
} from './organization.repository.js';
import type { OrganizationRow, PrivateEndpointRow } from './organization.table.js';
import { transact } from '../../db/transaction.js';

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
  const row = await findOrganization(db, id);
  return row && toOrganization(row, await listPrivateEndpoints(db, id));
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

/**
 * Applies a PATCH in one transaction under the organization's write lock:
 * name, core dumps, then private endpoints (remove before add; removing an
 * unknown id is a no-op; adding a known id updates it). Only a real name change
 * is recorded: the vendor's activity enum has no organization-level type for
 * endpoint or core-dump changes.
 */
export async function updateOrganization(
  db: Kysely<Database>,
  clock: Clock,
  id: string,
  patch: OrganizationPatch,
  actor: Actor,
): Promise<Organization> {
  const toAdd = validateEndpointsToAdd(patch.privateEndpoints?.add ?? []);
  const toRemove = (patch.privateEndpoints?.remove ?? []).map((e) => e.id);

  return transact(db, async (trx) => {
    const current = await lockOrganization(trx, id);
    if (!current) throw new ApiError('NOT_FOUND', 'Organization not found');

    const updated = {
      ...current,
      name: patch.name ?? current.name,
      enable_core_dumps: patch.enableCoreDumps === undefined ? current.enable_core_dumps : patch.enableCoreDumps ? 1 : 0,
    };
    if (updated.name !== current.name || updated.enable_core_dumps !== current.enable_core_dumps) await saveOrganizationFields(trx, updated);
    if (updated.name !== current.name) await recordActivity(trx, clock, id, 'organization_update_name', actor);

    await deletePrivateEndpoints(trx, id, toRemove);
    if (toAdd.length > 0) {
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
    return toOrganization(updated, await listPrivateEndpoints(trx, id));
  });
}
