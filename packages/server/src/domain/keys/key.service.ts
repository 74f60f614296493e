import { randomUUID } from 'node:crypto';
import type { Executor } from '../../db/executor.js';
import type { ApiKey, ApiKeyPostResponse, IpAccessListEntry, KeyPatch } from '../../schemas/key.js';
import type { AssignedRole } from '../../schemas/role.js';
import { assertRemovable, type Initiator } from '../access.js';
import type { KeyUpdateType } from '../../vocabulary/activity-types.js';
import type { Domain } from '../domain.js';
import { badRequest, notFound } from '../errors.js';
import { changeOrganization, type OrganizationChange } from '../organizations/organization-change.js';
import { INSTANT_RANGE, storableInstant } from '../instants.js';
import { isValidName } from '../../vocabulary/text.js';
import { keepingAdminKey } from './admin-keys.js';
import { ipAllowed, isValidIpSource, parseIpSource } from './ip-access-list.js';
import { generateKeyPair, hashKeyPair, type HashedKeyPair } from './key-material.js';
import { countKeys, deleteKeyRow, DuplicateKeyError, findKey, insertKey, listKeys, updateKeyFields, type KeyFields } from './key.repository.js';
import type { ApiKeyRow } from './key.table.js';
import { keyActor } from '../roles/actor-ids.js';
import { heldRules } from '../roles/policy.js';
import { deleteAssignments } from '../roles/role.repository.js';
import { assignedRolesByActor, assignedRolesOf, legacyRolesOf, requestedRoleIds, resolveRoles, rolesHeldBy, setRolesOf, toAssignedRoles } from '../roles/role.service.js';
import { KEY_ROLES, type KeyRole, type KeyState } from '../../vocabulary/key-roles.js';
import { MAX_KEYS_PER_ORGANIZATION } from '../../vocabulary/limits.js';

export interface NewKeyInput {
  name: string;
  /** Deprecated; the system roles carrying them. One of roles and assignedRoleIds is required. */
  roles?: KeyRole[];
  assignedRoleIds?: string[];
  state?: KeyState;
  expireAt?: string | null;
  ipAccessList?: IpAccessListEntry[];
  /** Client-side hashes; when absent the server generates the pair and returns it once. */
  hashData?: HashedKeyPair;
}

export function toApiKey(row: ApiKeyRow, assignedRoles: AssignedRole[]): ApiKey {
  const key: ApiKey = {
    id: row.id,
    name: row.name,
    state: row.state as KeyState,
    roles: legacyRolesOf(row.organization_id, assignedRoles, KEY_ROLES),
    assignedRoles,
    keySuffix: row.key_id_suffix,
    createdAt: row.created_at,
    expireAt: row.expire_at,
    ipAccessList: JSON.parse(row.ip_access_list) as IpAccessListEntry[],
  };
  if (row.used_at !== null) key.usedAt = row.used_at;
  return key;
}

/** The API's schema checks names too; this keeps the operator CLI to the same rule. */
function validKeyName(name: string): string {
  if (!isValidName(name)) throw badRequest(`Invalid field 'name': must be 1 to 255 characters of non-blank text without control characters`);
  return name;
}

/** Normalises an expiry to ISO-8601 UTC; one in the past is refused. */
function normaliseExpiry(now: Date, expireAt: string | null | undefined): string | null {
  if (expireAt === undefined || expireAt === null || expireAt === '') return null;
  const millis = Date.parse(expireAt);
  if (Number.isNaN(millis)) throw badRequest(`Invalid field 'expireAt': must be an ISO-8601 date-time`);
  const stored = storableInstant(millis);
  if (stored === undefined) throw badRequest(`Invalid field 'expireAt': must be ${INSTANT_RANGE}`);
  if (millis <= now.getTime()) throw badRequest(`Invalid field 'expireAt': must be in the future`);
  return stored;
}

/** Checks every source and keeps only the entry's fields; `field` names the list in messages. */
export function normaliseIpAccessList(entries: IpAccessListEntry[], field = 'ipAccessList'): IpAccessListEntry[] {
  return entries.map((entry, i) => {
    if (!isValidIpSource(entry.source)) {
      throw badRequest(`Invalid field '${field}[${i}].source': '${entry.source}' is not an IPv4/IPv6 address or CIDR`);
    }
    return entry.description === undefined ? { source: entry.source } : { source: entry.source, description: entry.description };
  });
}

/**
 * Inserts a key and records key_create as part of an organization change.
 * Used as is where the organization is new (bootstrap); everyone else goes
 * through addKey, which enforces the quota.
 */
export async function insertNewKey(change: OrganizationChange, now: Date, input: NewKeyInput, by: Initiator): Promise<ApiKeyPostResponse> {
  const roleIds = requestedRoleIds(change.organizationId, 'roles', input.roles, input.assignedRoleIds, true)!;
  const roles = await resolveRoles(change.trx, change.organizationId, roleIds, 'assignedRoleIds');
  const pair = input.hashData ? undefined : generateKeyPair();
  const hashed = input.hashData ?? hashKeyPair(pair!);
  const row: ApiKeyRow = {
    id: randomUUID(),
    organization_id: change.organizationId,
    name: validKeyName(input.name),
    key_id_hash: hashed.keyIdHash,
    key_id_suffix: hashed.keyIdSuffix,
    key_secret_hash: hashed.keySecretHash,
    state: input.state ?? 'enabled',
    created_at: now.toISOString(),
    expire_at: normaliseExpiry(now, input.expireAt),
    used_at: null,
    ip_access_list: JSON.stringify(normaliseIpAccessList(input.ipAccessList ?? [])),
  };
  try {
    await insertKey(change.trx, row);
  } catch (err) {
    // Only a key of this organization, or one whose key ID and secret the caller already holds (see insertKey).
    if (err instanceof DuplicateKeyError) throw badRequest(`Invalid field 'hashData.keyIdHash': a key with this key ID already exists`);
    throw err;
  }
  await setRolesOf(change, keyActor(row.id), roles, by, { newActor: true });
  change.record('key_create', by.actor, { targetKeyId: row.id });
  return { key: toApiKey(row, toAssignedRoles(roles)), ...pair };
}

/** Creates a key under the organization's lock, so concurrent creates (on any number of instances) cannot overshoot the quota. */
export async function addKey(domain: Domain, organizationId: string, input: NewKeyInput, by: Initiator): Promise<ApiKeyPostResponse> {
  const created = await changeOrganization(domain, organizationId, by, async (change) => {
    if ((await countKeys(change.trx, organizationId)) >= MAX_KEYS_PER_ORGANIZATION) {
      throw badRequest(`The organization already has the maximum of ${MAX_KEYS_PER_ORGANIZATION} API keys; delete one before creating another`);
    }
    return insertNewKey(change, domain.clock.now(), input, by);
  });
  // A client-chosen key ID may be another organization's too, whose keys this instance may have cached
  // under it: the new key works here at once (elsewhere within KEY_CACHE_TTL_MS).
  if (input.hashData) domain.keys.forget(input.hashData.keyIdHash);
  return created;
}

export async function getKeys(db: Executor, organizationId: string): Promise<ApiKey[]> {
  const rows = await listKeys(db, organizationId);
  const roles = await assignedRolesByActor(db, organizationId);
  return rows.map((row) => toApiKey(row, roles.get(keyActor(row.id)) ?? []));
}

export async function getKey(db: Executor, organizationId: string, id: string): Promise<ApiKey> {
  const row = await findKey(db, organizationId, id);
  if (!row) throw notFound('API key');
  return toApiKey(row, await assignedRolesOf(db, organizationId, keyActor(id)));
}

async function existingKey(change: OrganizationChange, id: string): Promise<ApiKeyRow> {
  const row = await findKey(change.trx, change.organizationId, id);
  if (!row) throw notFound('API key');
  return row;
}

/**
 * Stopping a key (disabling it, giving it an expiry or an IP allow list,
 * deleting it) takes away everything it holds: only a key that holds all of
 * that itself may (403 naming the first permission it lacks). The operator
 * (no principal) may.
 */
async function assertStoppable(change: OrganizationChange, id: string, by: Initiator, what: string): Promise<void> {
  if (!by.principal) return;
  const roles = await rolesHeldBy(change.trx, change.organizationId, keyActor(id));
  assertRemovable(by, heldRules(roles.flatMap((r) => r.policies), [`organization/${change.organizationId}`]), what);
}

/** The fields of a key PATCH that can take access away from the key, as the request names them. */
function stoppingFields(changes: KeyFields): string[] {
  const fields: string[] = [];
  if (changes.state === 'disabled') fields.push('state');
  if (changes.expire_at !== undefined && changes.expire_at !== null) fields.push('expireAt');
  if (changes.ip_access_list !== undefined && changes.ip_access_list !== '[]') fields.push('ipAccessList');
  return fields;
}

/** Whether a new allow list (JSON) leaves out the address of the request setting it (there is none for the operator). */
function excludesCaller(allowList: string, by: Initiator): boolean {
  const address = by.actor.ipAddress;
  if (address === undefined) return false;
  const entries = JSON.parse(allowList) as IpAccessListEntry[];
  return entries.length > 0 && !ipAllowed(address, entries.map((e) => parseIpSource(e.source)));
}

const UPDATE_TYPES: [keyof KeyFields, KeyUpdateType][] = [
  ['name', 'name-changed'],
  ['state', 'state-changed'],
  ['expire_at', 'date-changed'],
  ['ip_access_list', 'ip-access-list-changed'],
];

/**
 * Applies a key PATCH, recording one openapi_key_update per kind of change
 * that really changed something. The key's new state takes effect on this
 * instance's very next request.
 */
export async function updateKey(domain: Domain, organizationId: string, id: string, patch: KeyPatch, by: Initiator): Promise<ApiKey> {
  const fields: KeyFields = {};
  if (patch.name !== undefined) fields.name = validKeyName(patch.name);
  const roleIds = requestedRoleIds(organizationId, 'roles', patch.roles, patch.assignedRoleIds, false);
  if (patch.state !== undefined) fields.state = patch.state;
  if (patch.expireAt !== undefined) fields.expire_at = normaliseExpiry(domain.clock.now(), patch.expireAt);
  if (patch.ipAccessList !== undefined) fields.ip_access_list = JSON.stringify(normaliseIpAccessList(patch.ipAccessList));

  const updated = await changeOrganization(domain, organizationId, by, async (change) => {
    const current = await existingKey(change, id);
    const changed = UPDATE_TYPES.filter(([column]) => fields[column] !== undefined && fields[column] !== current[column]);
    const changes: KeyFields = Object.fromEntries(changed.map(([column]) => [column, fields[column]]));
    const stopping = stoppingFields(changes);
    if (stopping.length > 0) await assertStoppable(change, id, by, `Changing '${stopping[0]}' of this API key`);
    const roleField = patch.assignedRoleIds !== undefined ? 'assignedRoleIds' : 'roles';
    const roles = roleIds === undefined ? undefined : await resolveRoles(change.trx, organizationId, roleIds, roleField);
    const apply = async (): Promise<boolean> => {
      await updateKeyFields(change.trx, id, changes);
      return roles !== undefined && (await setRolesOf(change, keyActor(id), roles, by));
    };
    const guarded = [...stopping, ...(roles === undefined ? [] : [roleField])];
    const unreachable = changes.ip_access_list !== undefined && excludesCaller(changes.ip_access_list, by) ? id : undefined;
    const rolesChanged = guarded.length > 0 ? await keepingAdminKey(change, by, domain.clock.now(), { fields: guarded, ...(unreachable ? { unreachable } : {}) }, apply) : await apply();
    if (changed.length > 0) change.accessChanged();
    const updateTypes = changed.map(([, type]) => type);
    const assigned: AssignedRole[] = roles === undefined ? await assignedRolesOf(change.trx, organizationId, keyActor(id)) : toAssignedRoles(roles);
    // assignedRoleIds is the current model's change; the deprecated roles keep their own type.
    if (rolesChanged) updateTypes.splice(updateTypes[0] === 'name-changed' ? 1 : 0, 0, patch.assignedRoleIds !== undefined ? 'roles-v2-changed' : 'role-changed');
    for (const keyUpdateType of updateTypes) change.record('openapi_key_update', by.actor, { targetKeyId: id, keyUpdateType });
    return { row: { ...current, ...changes }, roles: assigned };
  });
  domain.keys.forget(updated.row.key_id_hash);
  return toApiKey(updated.row, updated.roles);
}

/** Deletes a key (never the one making the request) and records key_delete; it fails on its very next request here. */
export async function deleteKey(domain: Domain, organizationId: string, id: string, by: Initiator): Promise<Pick<ApiKey, 'id' | 'name'>> {
  if (by.actor.type === 'api' && by.actor.id === id) {
    throw badRequest('An API key cannot delete itself: authenticate with another admin key to delete this one');
  }
  const deleted = await changeOrganization(domain, organizationId, by, async (change) => {
    const current = await existingKey(change, id);
    await assertStoppable(change, id, by, 'Deleting this API key');
    await keepingAdminKey(change, by, domain.clock.now(), { fields: [] }, async () => {
      await deleteAssignments(change.trx, organizationId, { actor: keyActor(id) });
      await deleteKeyRow(change.trx, id);
    });
    change.accessChanged();
    change.record('key_delete', by.actor, { targetKeyId: id });
    return current;
  });
  domain.keys.forget(deleted.key_id_hash);
  return { id: deleted.id, name: deleted.name };
}
