import type { Executor } from '../../db/executor.js';
import type { ApiKeyRow, NewApiKeyRow } from './key.table.js';

export async function insertKey(db: Executor, row: NewApiKeyRow): Promise<void> {
  await db.insertInto('api_keys').values(row).execute();
}

/** Look-up by base64(sha256(key ID)): the only way the credential is ever matched. */
export async function findKeyByIdHash(db: Executor, keyIdHash: string): Promise<ApiKeyRow | undefined> {
  return db.selectFrom('api_keys').selectAll().where('key_id_hash', '=', keyIdHash).executeTakeFirst();
}

export async function touchKeyUsedAt(db: Executor, id: string, usedAt: string): Promise<void> {
  await db.updateTable('api_keys').set({ used_at: usedAt }).where('id', '=', id).execute();
}
