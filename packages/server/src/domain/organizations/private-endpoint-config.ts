import { createHash } from 'node:crypto';
import type { Executor } from '../../db/executor.js';
import type { PrivateEndpointConfig } from '../../schemas/private-endpoint-config.js';
import { regionBelongsTo, type CloudProvider } from '../../vocabulary/cloud-regions.js';
import { badRequest, notFound } from '../errors.js';
import { findOrganization } from './organization.repository.js';

// The private endpoint service of one cloud region, the one an organization's
// private endpoints connect to. orgplane runs no cloud infrastructure: the value
// is made up, but in the real provider's format and stable, so configuration
// built from it (Terraform's) does not change from one run to the next.

/** Bumping the label would change every value ever handed out: never do. */
const LABEL = 'orgplane private endpoint service v1';

/**
 * The endpoint service ID of (organization, provider, region): derived from
 * SHA-256 of the three, so it is the same on every instance, after every
 * restart, with nothing stored; and different for any other organization or
 * region. The organization ID must already be in lower case (the access hook
 * normalises path IDs).
 *
 * - aws: a VPC endpoint service name, com.amazonaws.vpce.<region>.vpce-svc-<17 hex>
 * - gcp: a Private Service Connect service attachment,
 *   projects/<project>/regions/<region>/serviceAttachments/<name>
 * - azure: a Private Link service alias, <name>.<guid>.<region>.azure.privatelinkservice
 */
export function privateEndpointServiceId(organizationId: string, provider: CloudProvider, region: string): string {
  const hex = createHash('sha256').update(`${LABEL}\n${organizationId}\n${provider}\n${region}`).digest('hex');
  switch (provider) {
    case 'aws':
      return `com.amazonaws.vpce.${region}.vpce-svc-${hex.slice(0, 17)}`;
    case 'gcp':
      // A project ID is 6–30 lower-case letters, digits and hyphens, starting with a letter;
      // an attachment name is RFC 1035 (a letter first, at most 63 characters).
      return `projects/ch-${hex.slice(0, 12)}/regions/${region}/serviceAttachments/clickhouse-${region}-${hex.slice(12, 20)}`;
    case 'azure':
      return `clickhouse-${region}-${hex.slice(0, 8)}.${guid(hex.slice(8, 40))}.${region}.azure.privatelinkservice`;
  }
}

/** 32 hex digits as a GUID, with the version and variant bits of a random (v4) one, as Azure's are. */
function guid(hex: string): string {
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const h = `${hex.slice(0, 12)}4${hex.slice(13, 16)}${variant}${hex.slice(17, 32)}`;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * The private endpoint configuration of one region for an existing
 * organization. `provider` and `region` come from the vendor enums (the
 * route's schema); the region must also be one of that provider's.
 */
export async function getPrivateEndpointConfig(db: Executor, organizationId: string, provider: CloudProvider, region: string): Promise<PrivateEndpointConfig> {
  if (!regionBelongsTo(provider, region)) {
    throw badRequest(`Invalid query parameter 'region_id': '${region}' is not a region of cloud provider '${provider}'`);
  }
  if (!(await findOrganization(db, organizationId))) throw notFound('Organization');
  return { endpointServiceId: privateEndpointServiceId(organizationId, provider, region) };
}
