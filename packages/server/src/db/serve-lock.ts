import { tryLockFile, type FileLock } from './file-lock.js';

/**
 * Held by every server of a SQLite file for its lifetime. A server whose
 * per-key rate limit counts in its own memory (no --redis) must be the only
 * one, or every key would get one budget per server: it holds the lock
 * exclusively. Servers that share their counters through Redis, or have no
 * rate limit, hold it shared, so several of them can serve one file. Operator
 * commands (migrate, keys, audit) do not take it and keep working beside them.
 */
export function holdServeLock(file: string, countsInMemory: boolean): FileLock {
  const lock = tryLockFile(`${file}.serve-lock`, countsInMemory ? 'exclusive' : 'shared');
  if (!lock) {
    throw new Error(
      `another orgplane server is already serving ${file}, and the rate limit of ${countsInMemory ? 'this one' : 'that one'} counts in its own memory: serve a SQLite file from one server, share the counters with --redis, or run several instances on PostgreSQL`,
    );
  }
  return lock;
}
