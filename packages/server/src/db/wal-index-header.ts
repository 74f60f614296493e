import { closeSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { orgplanePackage } from '../version.js';

/** The two copies of the WAL-index header at the start of the -shm file (https://sqlite.org/walformat.html). */
export const WAL_INDEX_HEADERS_BYTES = 96;

/** The first page of the -shm file, which holds the headers. */
const MAPPED_BYTES = 4096;

/** orgplane's own addon (native/wal_index.c), built by `npm install` where a C compiler is at hand. */
export interface WalIndexBinding {
  map(fd: number, length: number): ArrayBuffer;
}

/** The addon, or undefined where it was not built (no compiler, another platform): the headers are then read with pread. */
export function loadWalIndexBinding(): WalIndexBinding | undefined {
  try {
    const addon = fileURLToPath(new URL('build/Release/wal_index.node', orgplanePackage().root));
    return createRequire(import.meta.url)(addon) as WalIndexBinding;
  } catch {
    return undefined;
  }
}

/**
 * The live WAL-index headers of a SQLite database in WAL mode, for comparing
 * with an earlier copy. With the addon, the -shm file's first page is mapped
 * read-only and shared, so a look at the headers is a memory read: every
 * commit by any connection rewrites them in that shared memory. Without it,
 * each look reads them with one pread; a system call per request cost more
 * than the rest of the check (docs/PERFORMANCE.md).
 *
 * The -shm file must already exist, and a connection of this process must hold
 * it open for as long as the headers are read: SQLite truncates the file only
 * when no connection has it open, and a read of a truncated mapping kills the
 * process (SIGBUS). Call close() before that connection closes.
 */
export function walIndexHeaders(shmFile: string, binding: WalIndexBinding | undefined = loadWalIndexBinding()): { read(): Buffer; close(): void } {
  const fd = openSync(shmFile, 'r');
  let open = true;
  const opened = () => {
    // After close(), a mapping may be truncated, and the descriptor's number may already name another file.
    if (!open) throw new Error('the WAL index was closed');
  };
  if (binding) {
    let mapped: Buffer;
    try {
      mapped = Buffer.from(binding.map(fd, MAPPED_BYTES), 0, WAL_INDEX_HEADERS_BYTES);
    } finally {
      // The mapping outlives the descriptor.
      closeSync(fd);
    }
    return {
      read: () => {
        opened();
        return mapped;
      },
      close: () => (open = false),
    };
  }
  const header = Buffer.alloc(WAL_INDEX_HEADERS_BYTES);
  return {
    read: () => {
      opened();
      readSync(fd, header, 0, WAL_INDEX_HEADERS_BYTES, 0);
      return header;
    },
    close: () => {
      if (open) closeSync(fd);
      open = false;
    },
  };
}
