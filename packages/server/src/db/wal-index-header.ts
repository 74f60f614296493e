import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { nativeAddon, type NativeAddon } from '../native-addon.js';

/** The two copies of the WAL-index header at the start of the -shm file (https://sqlite.org/walformat.html). */
export const WAL_INDEX_HEADERS_BYTES = 96;

/** The first page of the -shm file, which holds the headers. */
const MAPPED_BYTES = 4096;

/** One -shm file's descriptor, and its mapping where there is one, with the number of handles using them. */
interface OpenShm {
  fd: number;
  mapped: Buffer | undefined;
  users: number;
}

/**
 * Every -shm file this process reads, by device and inode: one descriptor per
 * file, however many handles read it, closed with the last of them. POSIX
 * record locks belong to the process, and closing any descriptor of a file
 * drops them all, SQLite's own included: its lock on the -shm file tells other
 * processes that the WAL index is in use. Were it dropped, the next process to
 * open the database would take the file for abandoned, truncate it and
 * rebuild it under this process's live connections; a read of a mapping past
 * the file's end kills the process (SIGBUS).
 */
const openFiles = new Map<string, OpenShm>();

function openShm(shmFile: string, key: string, binding: Pick<NativeAddon, 'map'> | undefined): OpenShm {
  const fd = openSync(shmFile, 'r');
  // The connection's first read sized the file to hold at least the first page; a shorter one is read with pread.
  const mapped = binding && fstatSync(fd).size >= MAPPED_BYTES ? Buffer.from(binding.map(fd, MAPPED_BYTES), 0, WAL_INDEX_HEADERS_BYTES) : undefined;
  const shm = { fd, mapped, users: 0 };
  openFiles.set(key, shm);
  return shm;
}

/**
 * The live WAL-index headers of a SQLite database in WAL mode, for comparing
 * with an earlier copy. With the addon, the -shm file's first page is mapped
 * read-only and shared, so a look at the headers is a memory read: every
 * commit by any connection rewrites them in that shared memory. Without it,
 * each look reads them with one pread; a system call per request cost more
 * than the rest of the check (docs/PERFORMANCE.md).
 *
 * A connection of this process must already hold the file open (SQLite opens
 * it with the first read in WAL mode; it truncates the file only when no
 * process holds it), and must stay open until close(): close the connection
 * first, then this.
 */
export function walIndexHeaders(shmFile: string, binding: Pick<NativeAddon, 'map'> | undefined = nativeAddon()): { read(): Buffer; close(): void } {
  const { dev, ino } = statSync(shmFile, { bigint: true });
  const key = `${dev}:${ino}`;
  const shm = openFiles.get(key) ?? openShm(shmFile, key, binding);
  shm.users++;
  const { fd, mapped } = shm;
  const header = Buffer.alloc(WAL_INDEX_HEADERS_BYTES);
  let open = true;
  return {
    read: () => {
      // After close(), the mapping may be past a truncated file's end, and the descriptor's number may name another file.
      if (!open) throw new Error('the WAL index was closed');
      if (mapped) return mapped;
      readSync(fd, header, 0, WAL_INDEX_HEADERS_BYTES, 0);
      return header;
    },
    close: () => {
      if (!open) return;
      open = false;
      if (--shm.users > 0) return;
      openFiles.delete(key);
      // The mapping outlives the descriptor, until the garbage collector frees the buffer; nothing reads it any more.
      closeSync(fd);
    },
  };
}
