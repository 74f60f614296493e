import { LRUCache } from 'lru-cache';
import type { Kysely } from 'kysely';
import type { Clock } from '../../clock.js';
import type { Database } from '../../db/schema.js';
import type { IpAccessListEntry } from '../../schemas/key.js';
import type { Principal } from '../access.js';
import type { WarningLog } from '../domain.js';
import { forbidden, unauthorized } from '../errors.js';
import { ipAllowed, parseIpSource, type IpRange } from './ip-access-list.js';
import { digestsEqual, hashCredential } from './key-material.js';
import { findKeyByIdHash, touchKeyUsedAt } from './key.repository.js';
import type { ApiKeyRow } from './key.table.js';
import { keyActor } from '../roles/role-actors.js';
import { findRolesWithPolicies } from '../roles/role.repository.js';
import { policiesOfRow } from '../roles/role.service.js';
import { permissionsOn, type PolicyRule } from '../roles/policy.js';

/**
 * How long a verified key row is reused without reading the database. This is
 * the bound on how long a disabled, deleted or expired key can keep working on
 * an instance (expiry itself is checked against the clock on every request).
 */
export const KEY_CACHE_TTL_MS = 1000;
/** usedAt is written at most once per key per this interval. */
export const USED_AT_GRANULARITY_MS = 60_000;

interface CachedKey {
  row: ApiKeyRow;
  permissions: ReadonlySet<string>;
  policies: PolicyRule[];
  allowList: IpRange[];
}

// A well-formed digest to compare against when the key is unknown, so both paths do the same work.
const DUMMY_DIGEST = hashCredential('orgplane-unknown-key');

/** Turns a key ID and secret into the caller they belong to: look-up, constant-time compare, state, expiry, allow list, usedAt. */
export class KeyVerifier {
  private readonly cache = new LRUCache<string, CachedKey>({ max: 10_000, ttl: KEY_CACHE_TTL_MS });
  private readonly lastUsedWrite = new LRUCache<string, number>({ max: 10_000 });

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly log: WarningLog,
  ) {}

  /** The one 401 for unknown, wrong-secret, disabled and expired keys; 403 for an address outside the allow list. */
  async verify(keyId: string, secret: string, ip: string): Promise<Principal> {
    const keyIdHash = hashCredential(keyId);
    const secretHash = hashCredential(secret);
    const key = await this.load(keyIdHash);
    const secretMatches = digestsEqual(key?.row.key_secret_hash ?? DUMMY_DIGEST, secretHash);
    const now = this.clock.now();
    if (!key || !secretMatches || key.row.state !== 'enabled' || (key.row.expire_at !== null && Date.parse(key.row.expire_at) <= now.getTime())) {
      throw unauthorized();
    }
    if (!ipAllowed(ip, key.allowList)) throw forbidden('Requests from this IP address are not allowed for this API key');
    await this.recordUse(key.row, now);
    return {
      apiKeyId: key.row.id,
      keyName: key.row.name,
      keySuffix: key.row.key_id_suffix,
      organizationId: key.row.organization_id,
      permissions: key.permissions,
      policies: key.policies,
    };
  }

  /** Drops a key from this instance's cache at once (other instances converge within KEY_CACHE_TTL_MS). */
  forget(keyIdHash: string): void {
    this.cache.delete(keyIdHash);
  }

  /** Drops every key of one organization from this instance's cache: its roles changed. */
  forgetOrganization(organizationId: string): void {
    for (const [hash, key] of this.cache.entries()) if (key.row.organization_id === organizationId) this.cache.delete(hash);
  }

  clear(): void {
    this.cache.clear();
    this.lastUsedWrite.clear();
  }

  private async load(keyIdHash: string): Promise<CachedKey | undefined> {
    const cached = this.cache.get(keyIdHash);
    if (cached) return cached;
    const row = await findKeyByIdHash(this.db, keyIdHash);
    if (!row) return undefined;
    const entries = JSON.parse(row.ip_access_list) as IpAccessListEntry[];
    const roles = await findRolesWithPolicies(this.db, keyActor(row.id));
    const policies = roles.flatMap((r) => policiesOfRow(row.organization_id, r.role_id, r.policies));
    const permissions = permissionsOn(policies, `organization/${row.organization_id}`);
    const key: CachedKey = { row, permissions, policies, allowList: entries.map((e) => parseIpSource(e.source)) };
    this.cache.set(keyIdHash, key);
    return key;
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
