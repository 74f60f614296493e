import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Kysely } from 'kysely';
import type { Clock } from '../../clock.js';
import type { Database } from '../../db/schema.js';
import type { IpAccessListEntry } from '../../schemas/key.js';
import type { Principal } from '../access.js';
import type { WarningLog } from '../warning-log.js';
import { ApiError, UNAUTHORIZED_MESSAGE, unauthorized } from '../errors.js';
import { ipAllowed, parseIpSource, type IpRange } from './ip-access-list.js';
import { digestsEqual, hashCredential, keyedDigest } from './key-material.js';
import { findKeysByIdHash, touchKeyUsedAt } from './key.repository.js';
import type { ApiKeyRow } from './key.table.js';
import { keyActor } from '../roles/actor-ids.js';
import { findRolesWithPolicies } from '../roles/role.repository.js';
import { policiesOfRow } from '../roles/system-roles.js';
import { permissionsOn } from '../roles/policy.js';

/**
 * How long a verified key row is reused without reading the database. This is
 * the bound on how long a disabled, deleted or expired key can keep working on
 * an instance (expiry itself is checked against the clock on every request).
 */
export const KEY_CACHE_TTL_MS = 1000;
/** usedAt is written at most once per key per this interval. */
export const USED_AT_GRANULARITY_MS = 60_000;

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
  /** row.used_at in milliseconds (0 for never), parsed once. */
  usedAtMs: number;
  /** When the row was read (performance.now()): a remembered credential is trusted until KEY_CACHE_TTL_MS after it. */
  readAt: number;
  /** Set once the row has left the cache (expired, replaced, forgotten): from then on its credentials are checked afresh. */
  dropped: boolean;
  /**
   * The caller, built once everything has been checked: a refusal (wrong secret,
   * disabled, expired, outside the allow list) costs the same whatever its
   * cause, so timing does not tell a right secret from a wrong one either.
   */
  principal?: Principal;
  /** The read of `principal`, shared by the requests that verified the key at the same moment. */
  principalRead?: Promise<Principal>;
}

/** A credential's key ID and secret, as read from the request. */
export interface Credentials {
  keyId: string;
  secret: string;
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

/**
 * Turns a key ID and secret into the caller they belong to: look-up,
 * constant-time compare, state, expiry, allow list, usedAt.
 *
 * A credential that passed is remembered for the rest of its row's time in
 * the cache (KEY_CACHE_TTL_MS at most) under a keyed hash of the credential
 * as the client sent it, with a key drawn at random per instance: a repeat of
 * it skips parsing, hashing and comparing, and is checked again for what can
 * change without the row changing (expiry on the server clock, the client's
 * address against the allow list). docs/SECURITY.md describes it.
 */
export class KeyVerifier {
  /** By key ID hash: the keys registered under it (one per organization at most, nearly always one). */
  private readonly cache = new LRUCache<string, Candidate[]>({
    max: 10_000,
    ttl: KEY_CACHE_TTL_MS,
    // However a row leaves (expiry, a newer read, a change forgetting it, eviction), credentials verified against it are not trusted any more.
    dispose: (candidates) => {
      for (const candidate of candidates) candidate.dropped = true;
    },
  });
  /** Credentials verified against a row still in `cache`, by their keyed hash. */
  private readonly verified = new LRUCache<string, Candidate>({ max: 10_000 });
  /** The key of that hash (256 random bits, hex): per instance and never stored, so the hashes tell nothing outside this process. */
  private readonly credentialKey = randomBytes(32).toString('hex');
  private readonly lastUsedWrite = new LRUCache<string, number>({ max: 10_000 });
  /** Reads of key rows under way, by key ID hash. */
  private readonly reading = new Map<string, Promise<Candidate[]>>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly log: WarningLog,
  ) {}

  /**
   * The caller of a request, from its credential as sent (`credential`, e.g. an
   * Authorization value) and `read`, which takes the key ID and secret out of it
   * (undefined when it holds none). Synchronous for a credential this instance
   * verified within KEY_CACHE_TTL_MS, unless usedAt is due for a write.
   * `refuseKnown` may throw for the key of a credential verified longer ago,
   * before its row is read again (the rate limit's refusal from memory).
   */
  authenticate(credential: string, read: (credential: string) => Credentials | undefined, ip: string, refuseKnown?: (apiKeyId: string) => void): Principal | Promise<Principal> {
    const tag = keyedDigest(this.credentialKey, credential);
    const known = this.verified.get(tag);
    if (known) {
      if (!known.dropped && performance.now() - known.readAt < KEY_CACHE_TTL_MS) return this.admit(known, ip);
      // Before the key is read again: a key over its rate limit is refused from memory (a refusal
      // either way), but only from where it may be used, so that nobody else learns the credential works.
      if (refuseKnown && ipAllowed(ip, known.allowList) && !hasExpired(known.row.expire_at, this.clock.now())) refuseKnown(known.row.id);
    }
    const credentials = read(credential);
    if (!credentials) throw unauthorized();
    return this.check(credentials, ip).then((candidate) => {
      this.verified.set(tag, candidate);
      return this.admit(candidate, ip);
    });
  }

  /** The one 401 for unknown, wrong-secret, disabled and expired keys and for an address outside the key's allow list. */
  async verify(keyId: string, secret: string, ip: string): Promise<Principal> {
    return this.admit(await this.check({ keyId, secret }, ip), ip);
  }

  /** Drops a key ID from this instance's cache at once (other instances converge within KEY_CACHE_TTL_MS). */
  forget(keyIdHash: string): void {
    this.reading.delete(keyIdHash);
    this.cache.delete(keyIdHash);
  }

  /** Drops every key of one organization from this instance's cache: its roles changed. */
  forgetOrganization(organizationId: string): void {
    // Which organization a read under way is for is known only once it ends.
    this.reading.clear();
    for (const [hash, candidates] of this.cache.entries()) {
      if (candidates.some((c) => c.row.organization_id === organizationId)) this.cache.delete(hash);
    }
  }

  clear(): void {
    this.reading.clear();
    this.cache.clear();
    this.verified.clear();
    this.lastUsedWrite.clear();
  }

  /** The full check of a key ID and secret: the key, its secret, its state, then the checks of admit(); the caller's access is read once it passed. */
  private async check({ keyId, secret }: Credentials, ip: string): Promise<Candidate> {
    const key = await this.load(hashCredential(keyId), hashCredential(secret));
    if (!key || key.row.state !== 'enabled' || hasExpired(key.row.expire_at, this.clock.now())) throw unauthorized();
    if (!ipAllowed(ip, key.allowList)) throw new OutsideAllowList(key.row.key_id_suffix);
    key.principal ??= await (key.principalRead ??= this.principalOf(key));
    return key;
  }

  /** What a verified key is checked for on every request: expiry on the server clock and the client's address; then usedAt. */
  private admit(key: Candidate, ip: string): Principal | Promise<Principal> {
    const now = this.clock.now();
    if (hasExpired(key.row.expire_at, now)) throw unauthorized();
    if (!ipAllowed(ip, key.allowList)) throw new OutsideAllowList(key.row.key_id_suffix);
    const principal = key.principal!;
    const write = this.recordUse(key, now);
    return write ? write.then(() => principal) : principal;
  }

  /** The key the credential belongs to, whatever its state; a key ID's rows are cached. */
  private async load(keyIdHash: string, secretHash: string): Promise<Candidate | undefined> {
    const candidates = this.cache.get(keyIdHash) ?? (await this.read(keyIdHash));
    return matchingSecret(candidates, secretHash);
  }

  /**
   * Reads a key ID's rows once for all the requests that want them at the same
   * moment (a busy key's cache entry expiring). A read that a change forgot
   * while it ran (see forget) is not cached, nor joined by later requests.
   */
  private read(keyIdHash: string): Promise<Candidate[]> {
    let reading = this.reading.get(keyIdHash);
    if (!reading) {
      const current = (): boolean => this.reading.get(keyIdHash) === reading;
      reading = findKeysByIdHash(this.db, keyIdHash)
        .then((rows) => {
          const readAt = performance.now();
          const candidates: Candidate[] = rows.map(({ access_version, ...row }) => ({
            row,
            accessVersion: Number(access_version),
            allowList: (JSON.parse(row.ip_access_list) as IpAccessListEntry[]).map((e) => parseIpSource(e.source)),
            usedAtMs: row.used_at ? Date.parse(row.used_at) : 0,
            readAt,
            dropped: false,
          }));
          if (candidates.length > 0 && current()) this.cache.set(keyIdHash, candidates);
          return candidates;
        })
        .finally(() => current() && this.reading.delete(keyIdHash));
      this.reading.set(keyIdHash, reading);
    }
    return reading;
  }

  private async principalOf({ row, accessVersion }: Candidate): Promise<Principal> {
    const roles = await findRolesWithPolicies(this.db, row.organization_id, keyActor(row.id));
    const policies = roles.flatMap((r) => policiesOfRow(row.organization_id, r.role_id, r.policies));
    return {
      apiKeyId: row.id,
      keyName: row.name,
      keySuffix: row.key_id_suffix,
      organizationId: row.organization_id,
      permissions: permissionsOn(policies, `organization/${row.organization_id}`),
      policies,
      expireAt: row.expire_at,
      accessVersion,
    };
  }

  /**
   * Writes usedAt at most once per USED_AT_GRANULARITY_MS per key. When a write
   * is due the request waits for it (so the key's next read shows it); a failed
   * write is logged, never fails the request. Undefined when none is due.
   */
  private recordUse({ row, usedAtMs }: Candidate, now: Date): Promise<void> | undefined {
    const last = Math.max(this.lastUsedWrite.get(row.id) ?? 0, usedAtMs);
    if (now.getTime() - last < USED_AT_GRANULARITY_MS) return undefined;
    this.lastUsedWrite.set(row.id, now.getTime());
    return touchKeyUsedAt(this.db, row.id, now.toISOString()).catch((err: Error) => {
      this.log.warn({ err: { message: err.message } }, 'could not record key usage');
    });
  }
}
