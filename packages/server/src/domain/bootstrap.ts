import { systemActor } from './actor.js';
import type { Domain } from './domain.js';
import { insertNewKey } from './keys/key.service.js';
import type { KeyRole } from '../vocabulary/key-roles.js';
import { createOrganization } from './organizations/organization.service.js';

export interface BootstrapInput {
  organizationName: string;
  keyName: string;
  role: KeyRole;
}

export interface BootstrapResult {
  organizationId: string;
  keyId: string;
  keySecret: string;
}

/** Creates an organization with one key, audited as the system actor, in one transaction. */
export async function bootstrapOrganization(domain: Domain, input: BootstrapInput, command: string): Promise<BootstrapResult> {
  const actor = systemActor(command);
  return createOrganization(domain, input.organizationName, actor, async (change) => {
    const { keyId, keySecret } = await insertNewKey(change, domain.clock.now(), { name: input.keyName, roles: [input.role] }, { actor });
    return { organizationId: change.organizationId, keyId: keyId!, keySecret: keySecret! };
  });
}
