import { LRUCache } from 'lru-cache';
import type { Kysely } from 'kysely';
import type { Clock } from '../../clock.js';
import type { Database } from '../../db/schema.js';
import type { IpAccessListEntry } from '../../schemas/key.js';
import type { Principal } from '../access.js';
import type { WarningLog } from '../warning-log.js';
import { ApiError, UNAUTHORIZED_MESSAGE, unauthorized } from '../errors.js';
import { ipAllowed, parseIpSource, type IpRange } from './ip-access-list.js';
import { digestsEqual, hashCredential } from './key-material.js';
import { findKeysByIdHash, touchKeyUsedAt } from './key.repository.js';
import type { ApiKeyRow } from './key.table.js';
import { keyActor } from '../roles/actor-ids.js';
import { findRolesWithPolicies } from '../roles/role.repository.js';
import { policiesOfRow } from '../roles/system-roles.js';
import { permissionsOn, type PolicyRule } from '../roles/policy.js';

/**
 * How long a verified key row is reused without reading the database. This is
 * the bound on how long a disabled, deleted or expired key can keep working on
 * an instance (expiry itself is checked against the clock on every request).
 */
export const KEY_CACHE_TTL_MS = 1000;
/** usedAt is written at most once per key per this interval. */
export const USED_AT_GRANULARITY_MS = 60_000;

/** What a key's roles give it; read once per cached key, and only once the key has authenticated. */
interface KeyAccess {
  permissions: ReadonlySet<string>;
  policies: PolicyRule[];
}

/**
 * One key registered under a key ID hash. A key ID hash is unique per
 * organization only (so that creating a key from hashData tells no one about
 * other organizations' keys); the pair of key ID and secret hashes is unique,
 * so a credential matches one candidate at most.
 */
interface Candidate {
  row: ApiKeyRow;
  /** The organization's access_version read with the row. */
  accessVersion: number;
  allowList: IpRange[];
  /**
   * Read after every check has passed: a refusal (wrong secret, disabled,
   * expired, outside the allow list) then costs the same whatever its cause,
   * so timing does not tell a right secret from a wrong one either.
   */
  access?: KeyAccess;
}

/** Whether a key with this expiry (ISO-8601, null for never) has expired at `now`: the one expiry rule of verification and of changes. */
export function hasExpired(expireAt: string | null, now: Date): boolean {
  return expireAt !== null && Date.parse(expireAt) <= now.getTime();
}

// A well-formed digest to compare against when the key is unknown, so both paths do the same work.
const DUMMY_DIGEST = hashCredential('orgplane-unknown-key');

/**
 * The one 401, for a key whose secret matched but whose IP allow list excludes
 * the address. The client gets exactly what any other authentication failure
 * gets (telling them apart would confirm a stolen secret); the suffix is for
 * the operator's log, so that the refusal can still be diagnosed.
 */
export class OutsideAllowList extends ApiError {
  constructor(readonly keySuffix: string) {
    super('UNAUTHORIZED', UNAUTHORIZED_MESSAGE);
  }
}

/** Compares the secret with every candidate's (no early exit), or with a dummy when there is none. */
function matchingSecret(candidates: Candidate[], secretHash: string): Candidate | undefined {
  if (candidates.length === 0) {
    digestsEqual(DUMMY_DIGEST, secretHash);
    return undefined;
  }
  let match: Candidate | undefined;
  for (const candidate of candidates) if (digestsEqual(candidate.row.key_secret_hash, secretHash)) match = candidate;
  return match;
}

/** Turns a key ID and secret into the caller they belong to: look-up, constant-time compare, state, expiry, allow list, usedAt. */
export class KeyVerifier {
  /** By key ID hash: the keys registered under it (one per organization at most, nearly always one). */
  private readonly cache = new LRUCache<string, Candidate[]>({ max: 10_000, ttl: KEY_CACHE_TTL_MS });
  private readonly lastUsedWrite = new LRUCache<string, number>({ max: 10_000 });

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly log: WarningLog,
  ) {}

  /** The one 401 for unknown, wrong-secret, disabled and expired keys and for an address outside the key's allow list. */
  async verify(keyId: string, secret: string, ip: string): Promise<Principal> {
    const key = await this.load(hashCredential(keyId), hashCredential(secret));
    const now = this.clock.now();
    if (!key || key.row.state !== 'enabled' || hasExpired(key.row.expire_at, now)) {
      throw unauthorized();
    }
    if (!ipAllowed(ip, key.allowList)) throw new OutsideAllowList(key.row.key_id_suffix);
    const access = key.access ?? (key.access = await this.accessOf(key.row));
    await this.recordUse(key.row, now);
    return {
      apiKeyId: key.row.id,
      keyName: key.row.name,
      keySuffix: key.row.key_id_suffix,
      organizationId: key.row.organization_id,
      permissions: access.permissions,
      policies: access.policies,
      expireAt: key.row.expire_at,
      accessVersion: key.accessVersion,
    };
  }

  /** Drops a key ID from this instance's cache at once (other instances converge within KEY_CACHE_TTL_MS). */
  forget(keyIdHash: string): void {
    this.cache.delete(keyIdHash);
  }

  /** Drops every key of one organization from this instance's cache: its roles changed. */
  forgetOrganization(organizationId: string): void {
    for (const [hash, candidates] of this.cache.entries()) {
      if (candidates.some((c) => c.row.organization_id === organizationId)) this.cache.delete(hash);
    }
  }

  clear(): void {
    this.cache.clear();
    this.lastUsedWrite.clear();
  }

  /** The key the credential belongs to, whatever its state; a key ID's rows are cached. */
  private async load(keyIdHash: string, secretHash: string): Promise<Candidate | undefined> {
    let candidates = this.cache.get(keyIdHash);
    if (!candidates) {
      const rows = await findKeysByIdHash(this.db, keyIdHash);
      candidates = rows.map(({ access_version, ...row }) => ({ row, accessVersion: Number(access_version), allowList: (JSON.parse(row.ip_access_list) as IpAccessListEntry[]).map((e) => parseIpSource(e.source)) }));
      if (candidates.length > 0) this.cache.set(keyIdHash, candidates);
    }
    return matchingSecret(candidates, secretHash);
  }

  private async accessOf(row: ApiKeyRow): Promise<KeyAccess> {
    const roles = await findRolesWithPolicies(this.db, row.organization_id, keyActor(row.id));
    const policies = roles.flatMap((r) => policiesOfRow(row.organization_id, r.role_id, r.policies));
    return { permissions: permissionsOn(policies, `organization/${row.organization_id}`), policies };
  }

  /**
   * Writes usedAt at most once per USED_AT_GRANULARITY_MS per key. When a write
   * is due the request waits for it (so the key's next read shows it); a failed
   * write is logged, never fails the request.
   */
  private async recordUse(row: ApiKeyRow, now: Date): Promise<void> {
    const last = Math.max(this.lastUsedWrite.get(row.id) ?? 0, row.used_at ? Date.parse(row.used_at) : 0);
    if (now.getTime() - last < USED_AT_GRANULARITY_MS) return;
    this.lastUsedWrite.set(row.id, now.getTime());
    await touchKeyUsedAt(this.db, row.id, now.toISOString()).catch((err: Error) => {
      this.log.warn({ err: { message: err.message } }, 'could not record key usage');
    });
  }
}
