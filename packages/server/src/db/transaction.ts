import type { Kysely, Transaction } from 'kysely';
import { isStalePlanError } from './postgres-statements.js';
import type { Database } from './schema.js';

export type Transact = <T>(fn: (trx: Transaction<Database>) => Promise<T>) => Promise<T>;

/**
 * The one way services write: runs fn in a transaction and resolves only once
 * the commit is durable (after `durable`, the SQLite group commit's sync), so
 * a 200 always means "on disk, with its activity". fn may run twice (see
 * isStalePlanError), so it must do nothing but database work.
 */
export function transactor(db: Kysely<Database>, durable?: () => Promise<void>): Transact {
  return async (fn) => {
    let result;
    try {
      result = await db.transaction().execute(fn);
    } catch (error) {
      // Another instance's migration changed what a prepared statement returns: the
      // transaction rolled back, and its second run prepares the statement anew.
      if (!isStalePlanError(error)) throw error;
      result = await db.transaction().execute(fn);
    }
    await durable?.();
    return result;
  };
}
