import type { Executor } from '../../db/executor.js';
import { preparedQuery } from '../../db/prepared-query.js';
import { isUniqueViolation } from '../../db/errors.js';
import type { ApiKeyRow, ApiKeyTable, NewApiKeyRow } from './key.table.js';

/** The key ID hash is already registered in this organization, or with this very secret anywhere (see insertKey). */
export class DuplicateKeyError extends Error {}

/**
 * A key ID hash is unique within its organization, and a key ID and secret
 * hash pair is unique everywhere (api_keys_key_id_secret_idx): a key whose key
 * ID exists only in another organization, with another secret, is simply
 * created, so the answer says nothing about other organizations. Only someone
 * who already holds an existing key's ID and secret (and can authenticate with
 * them anyway) can meet the second.
 */
export async function insertKey(db: Executor, row: NewApiKeyRow): Promise<void> {
  try {
    await db.insertInto('api_keys').values(row).execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw new DuplicateKeyError('key ID already registered');
    throw err;
  }
}

/**
 * Look-up by base64(sha256(key ID)): the only way the credential is ever
 * matched. One indexed statement; the rows are the key ID's keys in every
 * organization (nearly always one), the caller picks the one whose secret matches.
 */
const keysByIdHash = preparedQuery((db, a: { keyIdHash: string }) =>
  db
    .selectFrom('api_keys as k')
    .innerJoin('organizations as o', 'o.id', 'k.organization_id')
    .selectAll('k')
    .select('o.access_version')
    .where('k.key_id_hash', '=', a.keyIdHash),
);

/** Each row with its organization's access_version, read in the same statement (so never newer than the row). */
export async function findKeysByIdHash(db: Executor, keyIdHash: string): Promise<(ApiKeyRow & { access_version: number })[]> {
  return keysByIdHash.all(db, { keyIdHash });
}

const keyById = preparedQuery((db, a: { organizationId: string; id: string }) =>
  db.selectFrom('api_keys').selectAll().where('organization_id', '=', a.organizationId).where('id', '=', a.id),
);

export async function findKey(db: Executor, organizationId: string, id: string): Promise<ApiKeyRow | undefined> {
  return keyById.first(db, { organizationId, id });
}

export async function listKeys(db: Executor, organizationId: string): Promise<ApiKeyRow[]> {
  return db.selectFrom('api_keys').selectAll().where('organization_id', '=', organizationId).orderBy('created_at').orderBy('id').execute();
}

export async function countKeys(db: Executor, organizationId: string): Promise<number> {
  const { count } = await db
    .selectFrom('api_keys')
    .select((eb) => eb.fn.countAll<string | number>().as('count'))
    .where('organization_id', '=', organizationId)
    .executeTakeFirstOrThrow();
  return Number(count);
}

/** The columns a key PATCH can change. */
export type KeyFields = Partial<Pick<ApiKeyTable, 'name' | 'state' | 'expire_at' | 'ip_access_list'>>;

export async function updateKeyFields(db: Executor, id: string, fields: KeyFields): Promise<void> {
  if (Object.keys(fields).length === 0) return;
  await db.updateTable('api_keys').set(fields).where('id', '=', id).execute();
}

export async function deleteKeyRow(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('api_keys').where('id', '=', id).execute();
}

const setUsedAt = preparedQuery((db, a: { id: string; usedAt: string }) => db.updateTable('api_keys').set({ used_at: a.usedAt }).where('id', '=', a.id));

export async function touchKeyUsedAt(db: Executor, id: string, usedAt: string): Promise<void> {
  await setUsedAt.execute(db, { id, usedAt });
}

/**
 * A key's state and expiry with each role it holds (one row per role, or one
 * with a null role_id when it holds none), custom roles with their policies:
 * what a change re-checks of its caller (key-standing.ts). Roles are joined
 * within the key's organization: a role ID means nothing outside it.
 */
const standing = preparedQuery((db, a: { id: string; organizationId: string; actor: string }) =>
  db
    .selectFrom('api_keys as k')
    .leftJoin('role_assignments as a', (join) => join.onRef('a.organization_id', '=', 'k.organization_id').on('a.actor', '=', a.actor))
    .leftJoin('roles as r', (join) => join.onRef('r.id', '=', 'a.role_id').onRef('r.organization_id', '=', 'a.organization_id'))
    .select(['k.state', 'k.expire_at', 'a.role_id', 'r.policies'])
    .where('k.id', '=', a.id)
    .where('k.organization_id', '=', a.organizationId),
);

export async function findKeyStanding(
  db: Executor,
  organizationId: string,
  id: string,
  actor: string,
): Promise<{ state: string; expire_at: string | null; role_id: string | null; policies: string | null }[]> {
  return standing.all(db, { id, organizationId, actor });
}
