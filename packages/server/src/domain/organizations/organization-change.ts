import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Initiator } from '../access.js';
import type { Actor } from '../actor.js';
import { GENESIS_HASH, linkActivity, type ChainHead } from '../activities/activity-chain.js';
import type { ActivityType } from '../../vocabulary/activity-types.js';
import { insertActivities } from '../activities/activity.repository.js';
import { newActivity, type ActivityTarget } from '../activities/activity.service.js';
import type { ActivityRow } from '../activities/activity.table.js';
import type { Domain } from '../domain.js';
import { notFound } from '../errors.js';
import { confirmStanding } from '../keys/key-standing.js';
import { insertOrganization, lockOrganization, saveOrganizationState } from './organization.repository.js';
import type { OrganizationRow } from './organization.table.js';

export type OrganizationFields = Pick<OrganizationRow, 'name' | 'enable_core_dumps'>;

/**
 * One change of one organization, inside its transaction and under its lock.
 * Every mutation goes through it: what it edits of the organization row and the
 * activities it records are kept in memory and written once, when the change
 * is done.
 */
export interface OrganizationChange {
  readonly trx: Transaction<Database>;
  readonly organizationId: string;
  /** The organization row as this change has left it so far. */
  readonly organization: Readonly<OrganizationRow>;
  update(fields: Partial<OrganizationFields>): void;
  /** Appends an activity to the organization's hash chain (linked now, written at the end). */
  record(type: ActivityType, actor: Actor, target?: ActivityTarget): void;
  /**
   * Says that this change can change what the organization's API keys may do
   * (a key's state, expiry or allow list, a key deleted, roles, assignments):
   * bumps access_version, so that keys verified before it are confirmed again
   * by their next change (keys/key-standing.ts).
   */
  accessChanged(): void;
}

/**
 * Runs fn as a change of an existing organization asked for by `by`: locks it
 * (one statement, which also reads it), reports "not found" for every
 * mutation, confirms under the lock that the key asking still may
 * (key-standing.ts; null where the change's items have several initiators,
 * which then confirm their own), and after fn writes the organization row and
 * the activities once, commits and waits for the commit to be durable.
 */
export function changeOrganization<T>(domain: Domain, organizationId: string, by: Initiator | null, fn: (change: OrganizationChange) => Promise<T>): Promise<T> {
  return domain.transact(async (trx) => {
    const row = await lockOrganization(trx, organizationId);
    if (!row) throw notFound('Organization');
    if (by) await confirmStanding(trx, domain.clock.now(), row, by);
    return applyChange(domain, trx, row, fn);
  });
}

/** Creates an organization with its create_organization activity, then runs fn as its first change, in one transaction. */
export function createOrganizationWith<T>(
  domain: Domain,
  row: Pick<OrganizationRow, 'id' | 'name' | 'created_at'>,
  actor: Actor,
  fn: (change: OrganizationChange) => Promise<T>,
): Promise<T> {
  return domain.transact(async (trx) => {
    const created: OrganizationRow = { ...row, enable_core_dumps: 0, version: 0, activity_seq: 0, activity_hash: GENESIS_HASH, access_version: 0 };
    await insertOrganization(trx, created);
    return applyChange(domain, trx, created, async (change) => {
      change.record('create_organization', actor);
      return fn(change);
    });
  });
}

async function applyChange<T>(domain: Domain, trx: Transaction<Database>, locked: OrganizationRow, fn: (change: OrganizationChange) => Promise<T>): Promise<T> {
  let state = locked;
  let head: ChainHead = { seq: Number(locked.activity_seq), hash: locked.activity_hash };
  const activities: ActivityRow[] = [];
  const change: OrganizationChange = {
    trx,
    organizationId: locked.id,
    get organization() {
      return state;
    },
    update(fields) {
      state = { ...state, ...fields };
    },
    record(type, actor, target) {
      const linked = linkActivity(head, newActivity(domain.clock, locked.id, type, actor, target));
      activities.push(linked.row);
      head = linked.head;
    },
    accessChanged() {
      accessChanged = true;
    },
  };
  let accessChanged = false;
  const result = await fn(change);
  if (activities.length > 0 || accessChanged || state.name !== locked.name || state.enable_core_dumps !== locked.enable_core_dumps) {
    await insertActivities(trx, activities);
    await saveOrganizationState(trx, {
      id: locked.id,
      name: state.name,
      enable_core_dumps: state.enable_core_dumps,
      activity_seq: head.seq,
      activity_hash: head.hash,
      access_version: Number(locked.access_version) + (accessChanged ? 1 : 0),
    });
  }
  return result;
}
