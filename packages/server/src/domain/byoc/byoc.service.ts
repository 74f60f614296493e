import { randomUUID } from 'node:crypto';
import type { ByocInfrastructureCreate, ByocInfrastructureUpdate } from '../../schemas/byoc.js';
import type { ByocConfig } from '../../schemas/organization.js';
import type { Initiator } from '../access.js';
import { providerOfRegion } from '../../vocabulary/cloud-regions.js';
import type { Domain } from '../domain.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { changeOrganization, type OrganizationChange } from '../organizations/organization-change.js';
import { isLive, toByocConfig } from './byoc-state.js';
import { defaultDisplayName, validAccountId, validVpcCidr, validZoneSuffixes } from './byoc-validation.js';
import { deleteByocTerminatedBefore, insertByocRow, listByocRows, updateByocRow } from './byoc.repository.js';
import type { ByocInfrastructureRow } from './byoc.table.js';
import { BYOC_TERMINATED_VISIBLE_MS, DEFAULT_AVAILABILITY_ZONE_SUFFIXES, DEFAULT_VPC_CIDR_RANGE, MAX_BYOC_INFRASTRUCTURES_PER_ORGANIZATION } from '../../vocabulary/byoc.js';

// BYOC infrastructures record no activities: the vendor's activity types have none for them.

/**
 * Creates an infrastructure in infra-provisioning; it is infra-ready once the
 * server's provisioning time has passed on its clock. The request is checked
 * whole before anything is written, and the uniqueness and count checks run
 * under the organization's lock.
 */
export async function createByocInfrastructure(domain: Domain, organizationId: string, input: ByocInfrastructureCreate, by: Initiator): Promise<ByocConfig> {
  const cloudProvider = providerOfRegion(input.regionId);
  const accountId = validAccountId(cloudProvider, input.accountId, 'accountId');
  const zones = validZoneSuffixes(input.availabilityZoneSuffixes ?? DEFAULT_AVAILABILITY_ZONE_SUFFIXES, 'availabilityZoneSuffixes');
  const cidr = validVpcCidr(input.vpcCidrRange ?? DEFAULT_VPC_CIDR_RANGE, 'vpcCidrRange');
  return changeOrganization(domain, organizationId, by, async (change) => {
    const now = domain.clock.now();
    const rows = await listByocRows(change.trx, organizationId);
    const live = rows.filter((r) => isLive(r, now));
    if (live.some((r) => r.region_id === input.regionId && r.account_name === accountId)) {
      throw conflict(`A BYOC infrastructure for account '${accountId}' in region '${input.regionId}' already exists in this organization`);
    }
    if (live.length >= MAX_BYOC_INFRASTRUCTURES_PER_ORGANIZATION) {
      throw badRequest(
        `The organization already has the maximum of ${MAX_BYOC_INFRASTRUCTURES_PER_ORGANIZATION} BYOC infrastructures that are not terminated; delete one before creating another`,
      );
    }
    await deleteByocTerminatedBefore(change.trx, organizationId, new Date(now.getTime() - BYOC_TERMINATED_VISIBLE_MS).toISOString());
    const readyAt = new Date(now.getTime() + domain.byocProvisioningMs);
    const row: ByocInfrastructureRow = {
      organization_id: organizationId,
      id: randomUUID(),
      state: domain.byocProvisioningMs === 0 ? 'infra-ready' : 'infra-provisioning',
      account_name: accountId,
      region_id: input.regionId,
      cloud_provider: cloudProvider,
      display_name: input.displayName ?? defaultDisplayName(input.regionId, accountId),
      position: rows.reduce((max, r) => Math.max(max, Number(r.position) + 1), 0),
      created_at: now.toISOString(),
      ready_at: readyAt.toISOString(),
      terminated_at: null,
      availability_zone_suffixes: JSON.stringify(zones),
      vpc_cidr_range: cidr,
    };
    await insertByocRow(change.trx, row);
    return toByocConfig(row, now)!;
  });
}

/** The infrastructure a PATCH or DELETE acts on: one that is listed and not terminated, else a 404. */
async function liveInfrastructure(change: OrganizationChange, id: string, now: Date): Promise<ByocInfrastructureRow> {
  const row = (await listByocRows(change.trx, change.organizationId)).find((r) => r.id === id);
  if (!row || !isLive(row, now)) throw notFound('BYOC infrastructure');
  return row;
}

/** Changes the display name, the only thing a PATCH may change. */
export async function updateByocInfrastructure(domain: Domain, organizationId: string, id: string, input: ByocInfrastructureUpdate, by: Initiator): Promise<ByocConfig> {
  return changeOrganization(domain, organizationId, by, async (change) => {
    const now = domain.clock.now();
    const row = await liveInfrastructure(change, id, now);
    if (input.displayName === undefined || input.displayName === row.display_name) return toByocConfig(row, now)!;
    await updateByocRow(change.trx, organizationId, id, { display_name: input.displayName });
    return toByocConfig({ ...row, display_name: input.displayName }, now)!;
  });
}

/** Moves it to infra-terminated: listed in that state for the visibility window, then gone. */
export async function deleteByocInfrastructure(domain: Domain, organizationId: string, id: string, by: Initiator): Promise<void> {
  await changeOrganization(domain, organizationId, by, async (change) => {
    const now = domain.clock.now();
    await liveInfrastructure(change, id, now);
    await updateByocRow(change.trx, organizationId, id, { state: 'infra-terminated', terminated_at: now.toISOString() });
  });
}
