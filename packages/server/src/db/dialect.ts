import { SqliteAdapter } from 'kysely';
import type { Executor } from './executor.js';

/** Whether the executor talks to SQLite, for the few queries written in one dialect's own SQL. */
export function isSqlite(db: Executor): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}
