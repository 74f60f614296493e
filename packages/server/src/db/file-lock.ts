import SqliteDatabase from 'better-sqlite3';
import { createOwnerOnly } from './database.js';

/**
 * Cross-process locks through SQLite's own file locking: an exclusive
 * transaction on a separate, always empty database file. The lock is the
 * operating system's, so it goes with the connection, also when the holder is
 * killed: nothing stale to clean up. A separate file, because an exclusive
 * transaction on the database itself would lock out everything else.
 */
export interface FileLock {
  release(): void;
}

/**
 * Takes the lock at `path` unless another process holds it in a conflicting
 * mode (undefined then): an exclusive lock excludes every other holder, a
 * shared one only an exclusive holder (a read transaction holds SQLite's
 * SHARED lock until it ends).
 */
export function tryLockFile(path: string, mode: 'exclusive' | 'shared' = 'exclusive'): FileLock | undefined {
  createOwnerOnly(path);
  const lock = new SqliteDatabase(path, { timeout: 0 });
  try {
    // Nothing is ever written here; an in-memory journal leaves no -journal file behind.
    lock.pragma('journal_mode = MEMORY');
    if (mode === 'exclusive') lock.exec('BEGIN EXCLUSIVE');
    else {
      lock.exec('BEGIN');
      lock.prepare('SELECT count(*) FROM sqlite_master').get();
    }
    return { release: () => lock.close() };
  } catch (err) {
    lock.close();
    if ((err as { code?: string }).code === 'SQLITE_BUSY') return undefined;
    throw err;
  }
}

/**
 * Waits for the lock at `path`, polling without a busy timeout so the event
 * loop stays free, with no deadline: the holder may rightly take long.
 */
export async function lockFile(path: string): Promise<FileLock> {
  for (;;) {
    const lock = tryLockFile(path);
    if (lock) return lock;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
