import type { Kysely, Transaction } from 'kysely';
import { isStalePlanError } from './postgres-statements.js';
import type { Database } from './schema.js';

type CommitBarrier = () => Promise<void>;
const barriers = new WeakMap<Kysely<Database>, CommitBarrier>();

/** Set by the dialect setup when a commit is not durable by itself (SQLite group commit). */
export function setCommitBarrier(db: Kysely<Database>, barrier: CommitBarrier): void {
  barriers.set(db, barrier);
}

/**
 * Runs fn in a transaction and resolves only once the commit is durable: the
 * one way services write, so a 200 always means "on disk, with its activity".
 * fn may run twice (see isStalePlanError), so it must do nothing but database work.
 */
export async function transact<T>(db: Kysely<Database>, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await db.transaction().execute(fn);
  } catch (error) {
    // Another instance's migration changed what a prepared statement returns: the
    // transaction rolled back, and its second run prepares the statement anew.
    if (!isStalePlanError(error)) throw error;
    result = await db.transaction().execute(fn);
  }
  await barriers.get(db)?.();
  return result;
}
