import type { Selectable } from 'kysely';

export interface ActivityTable {
  /** UUIDv7: time-ordered, generated in the application. */
  id: string;
  organization_id: string;
  created_at: string;
  type: string;
  actor_type: string;
  actor_id: string | null;
  actor_details: string | null;
  actor_ip_address: string | null;
  user_agent: string | null;
  service_id: string | null;
  target_key_id: string | null;
  key_update_type: string | null;
  /** Position in the organization's hash chain, from 1. */
  seq: number;
  /** sha256 over the previous link's hash and this activity's content (see activity-chain.ts). */
  hash: string;
}

export type ActivityRow = Selectable<ActivityTable>;

/** An activity as the API shows it: without its hash-chain link. */
export type ListedActivityRow = Omit<ActivityRow, 'seq' | 'hash'>;

/** Where the previous page ended: the next page starts strictly after (older than) this activity. */
export interface ActivityCursor {
  createdAt: string;
  id: string;
}
