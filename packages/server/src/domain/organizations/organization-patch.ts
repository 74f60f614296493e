import { WriteBatcher } from '../../db/write-batcher.js';
import type { Organization, OrganizationPatch, PrivateEndpointInput } from '../../schemas/organization.js';
import type { Initiator } from '../access.js';
import { regionBelongsTo, type CloudProvider } from '../../vocabulary/cloud-regions.js';
import type { Domain } from '../domain.js';
import { ApiError, badRequest } from '../errors.js';
import type { EndpointToAdd, PatchBatcher, PendingPatch } from './patch-batcher.js';
import { confirmStanding } from '../keys/key-standing.js';
import { MAX_PRIVATE_ENDPOINTS_PER_ORGANIZATION } from '../../vocabulary/limits.js';
import { changeOrganization, type OrganizationChange } from './organization-change.js';
import { deletePrivateEndpoints, listPrivateEndpoints, nextEndpointPosition, readOrganization, upsertPrivateEndpoint } from './organization.repository.js';


/**
 * Upper bound on the PATCHes of one organization applied in one transaction,
 * so a batch stays a short transaction (one multi-row activity insert).
 */
const MAX_PATCHES_PER_BATCH = 64;

/**
 * Concurrent PATCHes of one organization are serialised by its lock anyway;
 * those that arrive while one runs are applied together, in arrival order, as
 * one organization change (see WriteBatcher).
 */
export function createPatchBatcher(domain: () => Domain): PatchBatcher {
  return new WriteBatcher((id, patches) => changeOrganization(domain(), id, null, (change) => applyPatches(domain(), change, patches)), MAX_PATCHES_PER_BATCH);
}

/**
 * Applies a PATCH: name, core dumps, then private endpoints (remove before
 * add; removing an unknown id is a no-op; adding a known id updates it). Only
 * a real name change is recorded: the vendor's activity enum has no
 * organization-level type for endpoint or core-dump changes. Input is checked
 * before anything is written; each PATCH gets the organization as its own
 * change left it.
 */
export async function updateOrganization(domain: Domain, id: string, patch: OrganizationPatch, by: Initiator): Promise<Organization> {
  const result = await domain.organizationPatches.submit(id, {
    by,
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.enableCoreDumps !== undefined ? { enableCoreDumps: patch.enableCoreDumps } : {}),
    toAdd: validateEndpointsToAdd(patch.privateEndpoints?.add ?? []),
    toRemove: (patch.privateEndpoints?.remove ?? []).map((e) => e.id),
  });
  if (result instanceof ApiError) throw result;
  return result;
}

/** Endpoints to add must name a provider and a region of that provider. */
function validateEndpointsToAdd(add: PrivateEndpointInput[]): EndpointToAdd[] {
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
 * How many private endpoints the organization would have after the patch
 * (removed ones gone, added ones new unless their ID is already there), or
 * an error when that is over the bound. Counted on the endpoints read under
 * the lock, as earlier patches of the batch left them: no statement of its own.
 */
function endpointBoundError(endpoints: Organization['privateEndpoints'], patch: PendingPatch): ApiError | undefined {
  const removed = new Set(patch.toRemove);
  const after = new Set([...endpoints.map((e) => e.id).filter((e) => !removed.has(e)), ...patch.toAdd.map((e) => e.id)]);
  if (after.size <= MAX_PRIVATE_ENDPOINTS_PER_ORGANIZATION) return undefined;
  const max = MAX_PRIVATE_ENDPOINTS_PER_ORGANIZATION.toLocaleString('en-US');
  return badRequest(
    `Invalid field 'privateEndpoints.add': the organization has ${endpoints.length.toLocaleString('en-US')} private endpoints and this change would bring it to ${after.size.toLocaleString('en-US')}, over the maximum of ${max} private endpoints; remove some before adding more`,
  );
}

/**
 * Confirms each key asking once per batch (its PATCHes all need the same
 * permission, see key-standing.ts); a refusal is the answer to that key's
 * PATCHes. Any other failure fails the batch.
 */
async function standingRefusal(domain: Domain, change: OrganizationChange, by: Initiator, confirmed: Map<string, ApiError | undefined>): Promise<ApiError | undefined> {
  const keyId = by.principal?.apiKeyId;
  if (keyId === undefined) return undefined;
  if (!confirmed.has(keyId)) {
    try {
      await confirmStanding(change.trx, domain.clock.now(), change.organization, by);
      confirmed.set(keyId, undefined);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      confirmed.set(keyId, err);
    }
  }
  return confirmed.get(keyId);
}

async function applyPatches(domain: Domain, change: OrganizationChange, patches: PendingPatch[]): Promise<(Organization | ApiError)[]> {
  const { trx, organizationId: id } = change;
  let current = (await readOrganization(trx, id, domain.clock.now()))!;
  const results: (Organization | ApiError)[] = [];
  const confirmed = new Map<string, ApiError | undefined>();
  for (const patch of patches) {
    // Checked before anything of this patch is applied, so a refused patch changes nothing.
    const refused =
      (await standingRefusal(domain, change, patch.by, confirmed)) ?? (patch.toAdd.length > 0 ? endpointBoundError(current.privateEndpoints, patch) : undefined);
    if (refused) {
      results.push(refused);
      continue;
    }
    if (patch.name !== undefined && patch.name !== change.organization.name) {
      change.update({ name: patch.name });
      change.record('organization_update_name', patch.by.actor);
    }
    if (patch.enableCoreDumps !== undefined) change.update({ enable_core_dumps: patch.enableCoreDumps ? 1 : 0 });
    if (patch.toRemove.length > 0 || patch.toAdd.length > 0) {
      await deletePrivateEndpoints(trx, id, patch.toRemove);
      let position = patch.toAdd.length > 0 ? await nextEndpointPosition(trx, id) : 0;
      for (const e of patch.toAdd) {
        await upsertPrivateEndpoint(trx, { organization_id: id, id: e.id, description: e.description, cloud_provider: e.cloudProvider, region: e.region, position: position++ });
      }
      current = { ...current, privateEndpoints: await listPrivateEndpoints(trx, id) };
    }
    current = { ...current, name: change.organization.name, enableCoreDumps: change.organization.enable_core_dumps === 1 };
    results.push(current);
  }
  return results;
}
