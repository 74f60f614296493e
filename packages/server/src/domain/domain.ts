import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { Database } from '../db/schema.js';
import type { Transact } from '../db/transaction.js';
import type { KeyVerifier } from './keys/key-verification.js';
import type { OrganizationCache } from './organizations/organization-cache.js';
import type { PatchBatcher } from './organizations/patch-batcher.js';

/** How long an invitation stays open when nothing else is configured: 7 days. */
export const DEFAULT_INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** What the server configures of the domain's behaviour (all optional). */
export interface DomainOptions {
  /** How long a new invitation stays open (default DEFAULT_INVITATION_TTL_MS). */
  invitationTtlMs?: number;
  /** How long a new BYOC infrastructure provisions, in seconds; 0 makes it ready at once (default DEFAULT_BYOC_PROVISIONING_SECONDS). */
  byocProvisioningSeconds?: number;
}

/**
 * Everything the services of one database share: the database, the durable
 * transaction, the clock, and this instance's caches and write batchers. It is
 * passed to every service explicitly (no module state), so that whatever needs
 * to reach all of it (a reset, a seed) can. Built by createDomain (create-domain.ts).
 */
export interface Domain {
  /** For reads; writes go through transact (in practice through changeOrganization). */
  db: Kysely<Database>;
  transact: Transact;
  clock: Clock;
  /** How long a new invitation stays open, in milliseconds. */
  invitationTtlMs: number;
  /** How long a new BYOC infrastructure provisions, in milliseconds. */
  byocProvisioningMs: number;
  /** Organizations as last read, while nothing has changed (see organization-cache.ts). */
  organizations: OrganizationCache;
  /** Verified API keys, cached per instance (see key-verification.ts). */
  keys: KeyVerifier;
  /** Concurrent PATCHes of one organization, applied together (see organization-patch.ts). */
  organizationPatches: PatchBatcher;
  /** Forgets everything this instance holds in memory about the database's contents. */
  clearCaches(): void;
}
