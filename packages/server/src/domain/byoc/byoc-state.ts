import type { ByocConfig } from '../../schemas/organization.js';
import type { CloudProvider, CloudRegion } from '../../vocabulary/cloud-regions.js';
import type { ByocInfrastructureRow } from './byoc.table.js';
import { BYOC_TERMINATED_VISIBLE_MS, type ByocState } from '../../vocabulary/byoc.js';

type Lifecycle = Pick<ByocInfrastructureRow, 'state' | 'ready_at' | 'terminated_at'>;

/**
 * The state on the server's clock at `now`, from the stored instants (no
 * timer moves it), or undefined once a terminated one is past its visibility
 * window and gone. A row without instants predates the lifecycle and keeps the
 * state it was stored with.
 */
export function byocStateAt(row: Lifecycle, now: Date): ByocState | undefined {
  const at = now.getTime();
  if (row.terminated_at !== null) return at < Date.parse(row.terminated_at) + BYOC_TERMINATED_VISIBLE_MS ? 'infra-terminated' : undefined;
  if (row.ready_at !== null) return at >= Date.parse(row.ready_at) ? 'infra-ready' : 'infra-provisioning';
  return row.state as ByocState;
}

/** The one a create, PATCH or DELETE can act on: listed and not terminated. */
export function isLive(row: Lifecycle, now: Date): boolean {
  const state = byocStateAt(row, now);
  return state !== undefined && state !== 'infra-terminated';
}

type Listed = Lifecycle & Pick<ByocInfrastructureRow, 'id' | 'account_name' | 'region_id' | 'cloud_provider' | 'display_name'>;

/** The vendor's ByocConfig at `now`, or undefined when it is no longer listed. */
export function toByocConfig(row: Listed, now: Date): ByocConfig | undefined {
  const state = byocStateAt(row, now);
  if (state === undefined) return undefined;
  return { id: row.id, state, accountName: row.account_name, regionId: row.region_id as CloudRegion, cloudProvider: row.cloud_provider as CloudProvider, displayName: row.display_name };
}

/** Those of `rows` listed at `now`, in their order. */
export function listedByocConfigs(rows: readonly Listed[], now: Date): ByocConfig[] {
  return rows.flatMap((row) => toByocConfig(row, now) ?? []);
}
