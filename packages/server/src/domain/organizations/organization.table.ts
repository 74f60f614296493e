import type { Generated, Insertable, Selectable } from 'kysely';

export interface OrganizationTable {
  id: string;
  name: string;
  /** ISO-8601 UTC text: portable across dialects and ordered as text. */
  created_at: string;
  /** 0 or 1: the same integer column type on SQLite and PostgreSQL. */
  enable_core_dumps: number;
  /** Bumped by every mutating transaction; its UPDATE is the row lock that serialises writers. */
  version: number;
  /** Head of the activity hash chain: seq and hash of the newest activity (0 and '' before the first). */
  activity_seq: number;
  activity_hash: string;
  /**
   * Bumped by every change that can change what the organization's API keys
   * may do (keys, roles, assignments): a key verified at this value may still
   * do what it was verified for (domain/keys/key-standing.ts).
   */
  access_version: Generated<number>;
}

export interface PrivateEndpointTable {
  organization_id: string;
  id: string;
  description: string;
  cloud_provider: string;
  region: string;
  /** Insertion order, so the list reads back in the order endpoints were added. */
  position: number;
}

export type OrganizationRow = Selectable<OrganizationTable>;
export type NewOrganizationRow = Insertable<OrganizationTable>;
export type PrivateEndpointRow = Selectable<PrivateEndpointTable>;
