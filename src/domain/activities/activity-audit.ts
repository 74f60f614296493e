import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { GENESIS_HASH, linkHash } from './activity-chain.js';

export interface BrokenLink {
  organizationId: string;
  /** The chain position where verification failed. */
  seq: number;
  activityId?: string;
  reason: string;
}

export interface AuditResult {
  organizations: number;
  activitiesVerified: number;
  broken?: BrokenLink;
}

export interface AuditOptions {
  organizationId?: string;
  /** Called after each chunk with the running count and the total to verify. */
  onProgress?: (verified: number, total: number) => void;
}

const CHUNK = 10_000;

/**
 * Walks each organization's activity chain in seq order, recomputing every
 * link, and stops at the first break: a modified activity (hash mismatch), a
 * deleted or reordered one (seq gap or wrong previous link), or deleted newest
 * activities (the organization's recorded head does not match the last link).
 */
export async function verifyActivityChains(db: Kysely<Database>, options: AuditOptions = {}): Promise<AuditResult> {
  let orgQuery = db.selectFrom('organizations').select(['id', 'activity_seq', 'activity_hash']).orderBy('id');
  if (options.organizationId) orgQuery = orgQuery.where('id', '=', options.organizationId);
  const organizations = await orgQuery.execute();
  const total = organizations.reduce((n, o) => n + Number(o.activity_seq), 0);
  let verified = 0;

  for (const org of organizations) {
    let previousHash = GENESIS_HASH;
    let expectedSeq = 1;
    for (;;) {
      const rows = await db
        .selectFrom('activities')
        .selectAll()
        .where('organization_id', '=', org.id)
        .where('seq', '>=', expectedSeq)
        .orderBy('seq')
        .limit(CHUNK)
        .execute();
      for (const row of rows) {
        const seq = Number(row.seq);
        if (seq !== expectedSeq) {
          return { organizations: organizations.length, activitiesVerified: verified, broken: { organizationId: org.id, seq: expectedSeq, reason: `activity #${expectedSeq} is missing (deleted or renumbered)` } };
        }
        if (linkHash(previousHash, { ...row, seq }) !== row.hash) {
          return { organizations: organizations.length, activitiesVerified: verified, broken: { organizationId: org.id, seq, activityId: row.id, reason: `activity #${seq} (${row.id}) does not match its hash: modified, moved or reordered` } };
        }
        previousHash = row.hash;
        expectedSeq++;
        verified++;
      }
      options.onProgress?.(verified, total);
      if (rows.length < CHUNK) break;
    }
    const headSeq = Number(org.activity_seq);
    if (expectedSeq - 1 !== headSeq || previousHash !== org.activity_hash) {
      return {
        organizations: organizations.length,
        activitiesVerified: verified,
        broken: { organizationId: org.id, seq: expectedSeq, reason: `the chain ends at #${expectedSeq - 1} but the organization's head is #${headSeq}: newest activities deleted or head altered` },
      };
    }
  }
  return { organizations: organizations.length, activitiesVerified: verified };
}
