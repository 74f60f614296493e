import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock.js';
import type { Executor } from '../../db/executor.js';
import type { Actor } from '../actor.js';
import { recordActivity } from '../activities/activity.service.js';
import { generateKeyPair, hashKeyPair, type HashedKeyPair, type KeyPair } from './key-material.js';
import { insertKey } from './key.repository.js';
import type { ApiKeyRow } from './key.table.js';
import type { KeyRole } from './roles.js';

export interface IpAccessListEntry {
  source: string;
  description?: string;
}

export interface NewKeyInput {
  organizationId: string;
  name: string;
  roles: KeyRole[];
  state?: 'enabled' | 'disabled';
  expireAt?: string | null;
  ipAccessList?: IpAccessListEntry[];
  /** Client-side hashes; when absent the server generates the pair and returns it once. */
  hashData?: HashedKeyPair;
}

export interface CreatedKey {
  row: ApiKeyRow;
  /** Present only when the server generated the credential. */
  pair?: KeyPair;
}

/** Inserts a key and its key_create activity inside the caller's transaction. */
export async function createKey(trx: Executor, clock: Clock, input: NewKeyInput, actor: Actor): Promise<CreatedKey> {
  const pair = input.hashData ? undefined : generateKeyPair();
  const hashed = input.hashData ?? hashKeyPair(pair!);
  const row: ApiKeyRow = {
    id: randomUUID(),
    organization_id: input.organizationId,
    name: input.name,
    key_id_hash: hashed.keyIdHash,
    key_id_suffix: hashed.keyIdSuffix,
    key_secret_hash: hashed.keySecretHash,
    roles: JSON.stringify(input.roles),
    state: input.state ?? 'enabled',
    created_at: clock.now().toISOString(),
    expire_at: input.expireAt ?? null,
    used_at: null,
    ip_access_list: JSON.stringify(input.ipAccessList ?? []),
  };
  await insertKey(trx, row);
  await recordActivity(trx, clock, input.organizationId, 'key_create', actor, { targetKeyId: row.id });
  return pair ? { row, pair } : { row };
}
