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

/** Where a verified chain ends: what an operator records elsewhere to compare later. */
export interface ChainHead {
  organizationId: string;
  seq: number;
  hash: string;
}

export interface AuditResult {
  organizations: number;
  activitiesVerified: number;
  /** The head of each chain verified intact, in organization ID order. */
  heads: ChainHead[];
  broken?: BrokenLink;
}

export interface AuditOptions {
  organizationId?: string;
  /** Called after each chunk with the running count and the total to verify. */
  onProgress?: (verified: number, total: number) => void;
}

const CHUNK = 10_000;
/** What every organization's chain starts with. */
export const FIRST_ACTIVITY = 'create_organization';

/**
 * Walks each organization's activity chain in seq order, recomputing every
 * link, and stops at the first break: a modified activity (hash mismatch), a
 * deleted or reordered one (seq gap or wrong previous link), or deleted newest
 * activities (the organization's recorded head does not match the last link),
 * or an activity outside the chain (every stored activity of the organization
 * must be one of its links). Every chain starts with the organization's
 * create_organization activity, so an empty chain, or one starting otherwise
 * (its start removed and the rest rehashed), is a break. An organization asked
 * for that does not exist is a break too, and so are activities of an
 * organization that does not exist (deleted outside orgplane): verifying
 * nothing must not read as a pass.
 */
export async function verifyActivityChains(db: Kysely<Database>, options: AuditOptions = {}): Promise<AuditResult> {
  let orgQuery = db.selectFrom('organizations').select(['id', 'activity_seq', 'activity_hash']).orderBy('id');
  if (options.organizationId) orgQuery = orgQuery.where('id', '=', options.organizationId);
  const organizations = await orgQuery.execute();
  const total = organizations.reduce((n, o) => n + Number(o.activity_seq), 0);
  let verified = 0;
  const heads: ChainHead[] = [];
  if (options.organizationId !== undefined && organizations.length === 0) {
    return { organizations: 0, activitiesVerified: 0, heads, broken: { organizationId: options.organizationId, seq: 0, reason: 'no such organization in this database' } };
  }

  if (options.organizationId === undefined) {
    const orphan = await db
      .selectFrom('activities')
      .select('organization_id')
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('organizations as o').select('o.id').whereRef('o.id', '=', 'activities.organization_id'))))
      .limit(1)
      .executeTakeFirst();
    if (orphan) {
      return {
        organizations: organizations.length,
        activitiesVerified: 0,
        heads,
        broken: { organizationId: orphan.organization_id, seq: 0, reason: 'activities are stored for this organization, which does not exist: it was deleted outside orgplane' },
      };
    }
  }

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
        if (seq === 1 && row.type !== FIRST_ACTIVITY) {
          return { organizations: organizations.length, activitiesVerified: verified, heads, broken: { organizationId: org.id, seq, activityId: row.id, reason: `activity #1 is ${row.type}, not ${FIRST_ACTIVITY}: the start of the chain was removed` } };
        }
        if (seq !== expectedSeq) {
          return { organizations: organizations.length, activitiesVerified: verified, heads, broken: { organizationId: org.id, seq: expectedSeq, reason: `activity #${expectedSeq} is missing (deleted or renumbered)` } };
        }
        if (linkHash(previousHash, { ...row, seq }) !== row.hash) {
          return { organizations: organizations.length, activitiesVerified: verified, heads, broken: { organizationId: org.id, seq, activityId: row.id, reason: `activity #${seq} (${row.id}) does not match its hash: modified, moved or reordered` } };
        }
        previousHash = row.hash;
        expectedSeq++;
        verified++;
      }
      options.onProgress?.(verified, total);
      if (rows.length < CHUNK) break;
    }
    const headSeq = Number(org.activity_seq);
    if (expectedSeq === 1 && headSeq === 0) {
      return { organizations: organizations.length, activitiesVerified: verified, heads, broken: { organizationId: org.id, seq: 0, reason: `the chain is empty: every organization's chain starts with its ${FIRST_ACTIVITY} activity` } };
    }
    if (expectedSeq - 1 !== headSeq || previousHash !== org.activity_hash) {
      return {
        organizations: organizations.length,
        activitiesVerified: verified,
        heads,
        broken: { organizationId: org.id, seq: expectedSeq, reason: `the chain ends at #${expectedSeq - 1} but the organization's head is #${headSeq}: newest activities deleted or head altered` },
      };
    }
    const { stored } = await db
      .selectFrom('activities')
      .select((eb) => eb.fn.countAll<string | number>().as('stored'))
      .where('organization_id', '=', org.id)
      .executeTakeFirstOrThrow();
    if (Number(stored) !== headSeq) {
      return {
        organizations: organizations.length,
        activitiesVerified: verified,
        heads,
        broken: { organizationId: org.id, seq: 0, reason: `${Number(stored) - headSeq} stored activities are not links of the chain (#1–#${headSeq}): inserted outside it` },
      };
    }
    heads.push({ organizationId: org.id, seq: headSeq, hash: org.activity_hash });
  }
  return { organizations: organizations.length, activitiesVerified: verified, heads };
}
