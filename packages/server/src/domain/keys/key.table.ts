import type { Insertable, Selectable } from 'kysely';

export interface ApiKeyTable {
  id: string;
  organization_id: string;
  name: string;
  /** base64(sha256(key ID)); the plaintext key ID is never stored. Unique per organization, and with key_secret_hash. */
  key_id_hash: string;
  key_id_suffix: string;
  /** base64(sha256(secret)); the plaintext secret is never stored. */
  key_secret_hash: string;
  state: string;
  created_at: string;
  expire_at: string | null;
  used_at: string | null;
  /** JSON array of {source, description}. */
  ip_access_list: string;
}

export type ApiKeyRow = Selectable<ApiKeyTable>;
export type NewApiKeyRow = Insertable<ApiKeyTable>;
