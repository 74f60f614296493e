import { tryLockFile, type FileLock } from './file-lock.js';

/**
 * One server per SQLite file, held for the server's lifetime. On SQLite the
 * per-key rate limit counts in the server's memory, so a second server on the
 * same file would give every key a second budget; several instances belong on
 * PostgreSQL, where the counters are shared. Operator commands (migrate,
 * keys, audit) do not take this lock and keep working beside the server.
 */
export function holdServeLock(file: string): FileLock {
  const lock = tryLockFile(`${file}.serve-lock`);
  if (!lock) {
    throw new Error(
      `another orgplane server is already serving ${file}: one server per SQLite file (its rate limit counts in that server's memory); run several instances on PostgreSQL`,
    );
  }
  return lock;
}
