import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { Database } from '../db/schema.js';
import { systemActor } from './actor.js';
import { createKey } from './keys/key.service.js';
import type { KeyRole } from './keys/roles.js';
import { createOrganization } from './organizations/organization.service.js';
import { transact } from '../db/transaction.js';

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
export async function bootstrapOrganization(
  db: Kysely<Database>,
  clock: Clock,
  input: BootstrapInput,
  command: string,
): Promise<BootstrapResult> {
  const actor = systemActor(command);
  return transact(db, async (trx) => {
    const organization = await createOrganization(trx, clock, input.organizationName, actor);
    const { pair } = await createKey(trx, clock, { organizationId: organization.id, name: input.keyName, roles: [input.role] }, actor);
    return { organizationId: organization.id, keyId: pair!.keyId, keySecret: pair!.keySecret };
  });
}
