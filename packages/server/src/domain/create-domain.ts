import type { Clock } from '../clock.js';
import type { DatabaseHandle } from '../db/database.js';
import { DEFAULT_BYOC_PROVISIONING_SECONDS } from '../vocabulary/byoc.js';
import { DEFAULT_INVITATION_TTL_MS, type Domain, type DomainOptions } from './domain.js';
import { KeyVerifier } from './keys/key-verification.js';
import { OrganizationCache } from './organizations/organization-cache.js';
import { createPatchBatcher } from './organizations/organization-patch.js';
import type { WarningLog } from './warning-log.js';

export function createDomain(
  database: Pick<DatabaseHandle, 'db' | 'transact' | 'revision'>,
  clock: Clock,
  log: WarningLog = { warn: () => {} },
  options: DomainOptions = {},
): Domain {
  const domain: Domain = {
    db: database.db,
    transact: database.transact,
    clock,
    invitationTtlMs: options.invitationTtlMs ?? DEFAULT_INVITATION_TTL_MS,
    byocProvisioningMs: (options.byocProvisioningSeconds ?? DEFAULT_BYOC_PROVISIONING_SECONDS) * 1000,
    organizations: new OrganizationCache(database.db, database.revision),
    keys: new KeyVerifier(database.db, clock, log),
    organizationPatches: createPatchBatcher(() => domain),
    clearCaches: () => {
      domain.keys.clear();
      domain.organizations.clear();
    },
  };
  return domain;
}
