import { hash } from 'node:crypto';
import type { ActivityRow } from './activity.table.js';

/** The chain's starting point: the "previous hash" of an organization's first activity. */
export const GENESIS_HASH = '';

/**
 * The hash of one link: sha256 over the previous hash and the activity's
 * content in a fixed field order, so any change to a stored field, a removed
 * activity or a swapped pair breaks every later link.
 */
export function linkHash(previousHash: string, activity: Omit<ActivityRow, 'hash'>): string {
  const content = JSON.stringify([
    activity.seq,
    activity.id,
    activity.organization_id,
    activity.created_at,
    activity.type,
    activity.actor_type,
    activity.actor_id,
    activity.actor_details,
    activity.actor_ip_address,
    activity.user_agent,
    activity.service_id,
    activity.target_key_id,
    activity.key_update_type,
  ]);
  return hash('sha256', `${previousHash}\n${content}`, 'hex');
}

/** The newest link of an organization's chain: its seq (0 before the first activity) and hash. */
export interface ChainHead {
  seq: number;
  hash: string;
}

/** The activity as the link after head: its row (seq and hash filled in) and the chain's new head. */
export function linkActivity(head: ChainHead, content: Omit<ActivityRow, 'hash' | 'seq'>): { row: ActivityRow; head: ChainHead } {
  const linked = { ...content, seq: head.seq + 1 };
  const hash = linkHash(head.hash, linked);
  return { row: { ...linked, hash }, head: { seq: linked.seq, hash } };
}
