import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../../clock.js';
import type { Executor } from '../../db/executor.js';
import type { Database } from '../../db/schema.js';
import { ApiError, badRequest } from '../../http/errors.js';
import { TEXT_PATTERN } from '../../http/schemas.js';
import type { Actor } from '../actor.js';
import type { KeyUpdateType } from '../activities/activity-types.js';
import { recordActivity } from '../activities/activity.service.js';
import { lockOrganization } from '../organizations/organization.repository.js';
import { isValidIpSource, type IpAccessListEntry } from './ip-access-list.js';
import { generateKeyPair, hashKeyPair, type HashedKeyPair, type KeyPair } from './key-material.js';
import { countKeys, deleteKeyRow, DuplicateKeyError, findKey, insertKey, listKeys, updateKeyFields } from './key.repository.js';
import type { ApiKeyRow, ApiKeyTable } from './key.table.js';
import type { KeyRole } from './roles.js';
import { transact } from '../../db/transaction.js';

/** The vendor's published quota. */
export const MAX_KEYS_PER_ORGANIZATION = 100;

export type KeyState = 'enabled' | 'disabled';

/** The API's ApiKey shape: never a hash, never the secret. */
export interface ApiKey {
  id: string;
  name: string;
  state: KeyState;
  roles: KeyRole[];
  keySuffix: string;
  createdAt: string;
  expireAt: string | null;
  usedAt?: string;
  ipAccessList: IpAccessListEntry[];
}

export interface NewKeyInput {
  organizationId: string;
  name: string;
  roles: KeyRole[];
  state?: KeyState;
  expireAt?: string | null;
  ipAccessList?: IpAccessListEntry[];
  /** Client-side hashes; when absent the server generates the pair and returns it once. */
  hashData?: HashedKeyPair;
}

export interface KeyPatch {
  name?: string;
  roles?: KeyRole[];
  state?: KeyState;
  expireAt?: string | null;
  ipAccessList?: IpAccessListEntry[];
}

export interface CreatedKey {
  row: ApiKeyRow;
  /** Present only when the server generated the credential. */
  pair?: KeyPair;
}

export function toApiKey(row: ApiKeyRow): ApiKey {
  const key: ApiKey = {
    id: row.id,
    name: row.name,
    state: row.state as KeyState,
    roles: JSON.parse(row.roles) as KeyRole[],
    keySuffix: row.key_id_suffix,
    createdAt: row.created_at,
    expireAt: row.expire_at,
    ipAccessList: JSON.parse(row.ip_access_list) as IpAccessListEntry[],
  };
  if (row.used_at !== null) key.usedAt = row.used_at;
  return key;
}

const KEY_NAME = new RegExp(TEXT_PATTERN, 'u');

/** The API's schema checks names too; this keeps the operator CLI to the same rule. */
function validKeyName(name: string): string {
  if (!KEY_NAME.test(name) || name.length > 255) throw badRequest(`Invalid field 'name': must be 1 to 255 characters of non-blank text without control characters`);
  return name;
}

/** Normalises an expiry to ISO-8601 UTC; one in the past is refused. */
function normaliseExpiry(clock: Clock, expireAt: string | null | undefined): string | null {
  if (expireAt === undefined || expireAt === null || expireAt === '') return null;
  const millis = Date.parse(expireAt);
  if (Number.isNaN(millis)) throw badRequest(`Invalid field 'expireAt': must be an ISO-8601 date-time`);
  if (millis <= clock.now().getTime()) throw badRequest(`Invalid field 'expireAt': must be in the future`);
  return new Date(millis).toISOString();
}

function normaliseIpAccessList(entries: IpAccessListEntry[]): IpAccessListEntry[] {
  return entries.map((entry, i) => {
    if (!isValidIpSource(entry.source)) {
      throw badRequest(`Invalid field 'ipAccessList[${i}].source': '${entry.source}' is not an IPv4/IPv6 address or CIDR`);
    }
    return entry.description === undefined ? { source: entry.source } : { source: entry.source, description: entry.description };
  });
}

/** Roles in the canonical order, without duplicates. */
function normaliseRoles(roles: KeyRole[]): KeyRole[] {
  return (['admin', 'developer', 'query_endpoints'] as const).filter((r) => roles.includes(r));
}

/**
 * Inserts a key and its key_create activity inside the caller's transaction.
 * Used as is where the organization is new (bootstrap); everyone else goes
 * through addKey, which enforces the quota.
 */
export async function createKey(trx: Executor, clock: Clock, input: NewKeyInput, actor: Actor): Promise<CreatedKey> {
  const pair = input.hashData ? undefined : generateKeyPair();
  const hashed = input.hashData ?? hashKeyPair(pair!);
  const row: ApiKeyRow = {
    id: randomUUID(),
    organization_id: input.organizationId,
    name: validKeyName(input.name),
    key_id_hash: hashed.keyIdHash,
    key_id_suffix: hashed.keyIdSuffix,
    key_secret_hash: hashed.keySecretHash,
    roles: JSON.stringify(normaliseRoles(input.roles)),
    state: input.state ?? 'enabled',
    created_at: clock.now().toISOString(),
    expire_at: normaliseExpiry(clock, input.expireAt),
    used_at: null,
    ip_access_list: JSON.stringify(normaliseIpAccessList(input.ipAccessList ?? [])),
  };
  try {
    await insertKey(trx, row);
  } catch (err) {
    if (err instanceof DuplicateKeyError) throw badRequest(`Invalid field 'hashData.keyIdHash': a key with this key ID already exists`);
    throw err;
  }
  await recordActivity(trx, clock, input.organizationId, 'key_create', actor, { targetKeyId: row.id });
  return pair ? { row, pair } : { row };
}

/**
 * Creates a key under the organization's write lock, so concurrent creates
 * (on any number of instances) cannot overshoot the quota.
 */
export async function addKey(db: Kysely<Database>, clock: Clock, input: NewKeyInput, actor: Actor): Promise<CreatedKey> {
  return transact(db, async (trx) => {
    if (!(await lockOrganization(trx, input.organizationId))) throw new ApiError('NOT_FOUND', 'Organization not found');
    if ((await countKeys(trx, input.organizationId)) >= MAX_KEYS_PER_ORGANIZATION) {
      throw badRequest(`The organization already has the maximum of ${MAX_KEYS_PER_ORGANIZATION} API keys; delete one before creating another`);
    }
    return createKey(trx, clock, input, actor);
  });
}

export async function getKeys(db: Executor, organizationId: string): Promise<ApiKey[]> {
  return (await listKeys(db, organizationId)).map(toApiKey);
}

export async function getKey(db: Executor, organizationId: string, id: string): Promise<ApiKey> {
  const row = await findKey(db, organizationId, id);
  if (!row) throw new ApiError('NOT_FOUND', 'API key not found');
  return toApiKey(row);
}

/**
 * Applies a key PATCH in one transaction, writing one openapi_key_update
 * activity per kind of change that actually changed something. Returns the
 * updated row (callers drop it from the auth cache).
 */
export async function updateKey(db: Kysely<Database>, clock: Clock, organizationId: string, id: string, patch: KeyPatch, actor: Actor): Promise<ApiKeyRow> {
  const fields: Partial<Pick<ApiKeyTable, 'name' | 'roles' | 'state' | 'expire_at' | 'ip_access_list'>> = {};
  if (patch.name !== undefined) fields.name = validKeyName(patch.name);
  if (patch.roles !== undefined) fields.roles = JSON.stringify(normaliseRoles(patch.roles));
  if (patch.state !== undefined) fields.state = patch.state;
  if (patch.expireAt !== undefined) fields.expire_at = normaliseExpiry(clock, patch.expireAt);
  if (patch.ipAccessList !== undefined) fields.ip_access_list = JSON.stringify(normaliseIpAccessList(patch.ipAccessList));

  return transact(db, async (trx) => {
    if (!(await lockOrganization(trx, organizationId))) throw new ApiError('NOT_FOUND', 'Organization not found');
    const current = await findKey(trx, organizationId, id);
    if (!current) throw new ApiError('NOT_FOUND', 'API key not found');

    const changes: [keyof typeof fields, KeyUpdateType][] = [
      ['name', 'name-changed'],
      ['roles', 'role-changed'],
      ['state', 'state-changed'],
      ['expire_at', 'date-changed'],
      ['ip_access_list', 'ip-access-list-changed'],
    ];
    const changed = changes.filter(([column]) => fields[column] !== undefined && fields[column] !== current[column]);
    await updateKeyFields(trx, id, Object.fromEntries(changed.map(([column]) => [column, fields[column]])));
    for (const [, keyUpdateType] of changed) {
      await recordActivity(trx, clock, organizationId, 'openapi_key_update', actor, { targetKeyId: id, keyUpdateType });
    }
    return (await findKey(trx, organizationId, id))!;
  });
}

/** Deletes a key (never the one making the request) with its key_delete activity; returns the deleted row. */
export async function deleteKey(db: Kysely<Database>, clock: Clock, organizationId: string, id: string, actor: Actor): Promise<ApiKeyRow> {
  if (actor.type === 'api' && actor.id === id) {
    throw badRequest('An API key cannot delete itself: authenticate with another admin key to delete this one');
  }
  return transact(db, async (trx) => {
    if (!(await lockOrganization(trx, organizationId))) throw new ApiError('NOT_FOUND', 'Organization not found');
    const current = await findKey(trx, organizationId, id);
    if (!current) throw new ApiError('NOT_FOUND', 'API key not found');
    await deleteKeyRow(trx, id);
    await recordActivity(trx, clock, organizationId, 'key_delete', actor, { targetKeyId: id });
    return current;
  });
}
