import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import Database from 'better-sqlite3';
import { createOwnerOnly, openDatabase } from '../../src/db/database.js';
import { walIndexHeaders } from '../../src/db/wal-index-header.js';
import { nativeAddon, type NativeAddon } from '../../src/native-addon.js';
import { sqliteRevision } from '../../src/db/sqlite-statements.js';

/** A WAL database held open by this process, as the server holds its own. */
function walDatabase(t: TestContext) {
  const dir = mkdtempSync(join(tmpdir(), 'orgplane-wal-index-'));
  const path = join(dir, 'db.sqlite');
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.exec('CREATE TABLE t (x INTEGER)');
  t.after(() => {
    sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { path, sqlite };
}

/** A commit by another process, as the operator CLI or a second instance makes one. */
function commitFromAnotherProcess(path: string): void {
  const betterSqlite3 = createRequire(import.meta.url).resolve('better-sqlite3');
  const script = `const D = require(${JSON.stringify(betterSqlite3)}); const d = new D(${JSON.stringify(path)}); d.prepare('INSERT INTO t VALUES (1)').run(); d.close();`;
  execFileSync(process.execPath, ['-e', script]);
}

/** The byte of the -shm file whose shared lock tells other processes that the WAL index is in use (SQLite's UNIX_SHM_DMS). */
const SHM_DMS_BYTE = 128;

/** The first byte of the database file's range that a connection's SHARED lock covers (SQLite's SHARED_FIRST). */
const SQLITE_SHARED_FIRST = 0x40000002;

/**
 * Whether this process holds a POSIX lock covering `byte` of `file`, as the
 * kernel lists it in /proc/locks ("1: POSIX ADVISORY READ pid maj:min:inode start end").
 */
function holdsLock(file: string, byte: number): boolean {
  const inode = statSync(file).ino;
  return readFileSync('/proc/locks', 'utf8')
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .some(([, kind, , , pid, id, start, end]) => {
      if (kind !== 'POSIX' || Number(pid) !== process.pid || Number(id?.split(':')[2]) !== inode) return false;
      return Number(start) <= byte && (end === 'EOF' || byte <= Number(end));
    });
}

/** A database as the server opens it (file, WAL, revision), in a directory removed after the test. */
function serverDatabase(t: TestContext) {
  const dir = mkdtempSync(join(tmpdir(), 'orgplane-wal-locks-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'db.sqlite');
  return { path, open: () => openDatabase(`sqlite:${path}`) };
}

const bindings: [string, NativeAddon | undefined][] = [
  ['mapped (the addon)', nativeAddon()],
  ['read with pread (no addon)', undefined],
];

describe('the WAL-index headers', () => {
  it('are mapped here: npm install built the addon (it needs a C compiler, as every machine of this project has)', () => {
    assert.ok(nativeAddon(), 'build/Release/orgplane.node did not load: npm install should have built it from native/');
  });

  for (const [name, binding] of bindings) {
    it(`${name}: show a commit by another process at once, and nothing else changes them`, (t) => {
      const { path, sqlite } = walDatabase(t);
      const headers = walIndexHeaders(`${path}-shm`, binding);
      t.after(() => headers.close());
      const before = Buffer.from(headers.read());
      // Reads, by this connection or another, leave the headers as they are.
      sqlite.prepare('SELECT count(*) FROM t').get();
      assert.deepEqual(headers.read(), before);
      commitFromAnotherProcess(path);
      assert.notDeepEqual(headers.read(), before);
      const after = Buffer.from(headers.read());
      sqlite.prepare('SELECT count(*) FROM t').get();
      assert.deepEqual(headers.read(), after);
    });

    it(`${name}: are not read once closed`, (t) => {
      const { path } = walDatabase(t);
      const headers = walIndexHeaders(`${path}-shm`, binding);
      headers.close();
      assert.throws(() => headers.read());
    });
  }

  it('drive the revision: it grows with another process’s commit and with this connection’s writes only', (t) => {
    const { path } = walDatabase(t);
    const writes = { count: 0 };
    const revision = sqliteRevision(writes, `${path}-shm`);
    t.after(() => revision.close());
    const first = revision.read();
    assert.equal(revision.read(), first);
    commitFromAnotherProcess(path);
    const second = revision.read();
    assert.ok(second > first);
    assert.equal(revision.read(), second);
    writes.count++;
    assert.ok(revision.read() > second);
  });
});

describe('the locks that tell other processes the database is in use', () => {
  it('stay held once the headers are mapped or read (a second process would otherwise truncate the -shm file under them)', async (t) => {
    const { path, open } = serverDatabase(t);
    const handle = open();
    t.after(() => handle.close());
    handle.revision!();
    assert.ok(holdsLock(`${path}-shm`, SHM_DMS_BYTE), 'no lock on the -shm file’s DMS byte');
    // A commit by another process is seen, and does not take the file from under this one.
    const before = handle.revision!();
    await handle.db.schema.createTable('t').addColumn('x', 'integer').execute();
    commitFromAnotherProcess(path);
    assert.notEqual(handle.revision!(), before);
    assert.ok(holdsLock(`${path}-shm`, SHM_DMS_BYTE));
  });

  it('stay held by one handle when another handle on the same file closes', async (t) => {
    const { path, open } = serverDatabase(t);
    const first = open();
    const second = open();
    t.after(() => second.close());
    first.revision!();
    second.revision!();
    await first.close();
    assert.ok(holdsLock(`${path}-shm`, SHM_DMS_BYTE), 'closing one handle dropped the other’s lock on the -shm file');
    const before = second.revision!();
    await second.db.schema.createTable('t').addColumn('x', 'integer').execute();
    commitFromAnotherProcess(path);
    assert.notEqual(second.revision!(), before);
  });

  it('stay held when the database file is created again while open (createOwnerOnly leaves an existing file unopened)', (t) => {
    const { path, open } = serverDatabase(t);
    const handle = open();
    t.after(() => handle.close());
    handle.revision!();
    assert.ok(holdsLock(path, SQLITE_SHARED_FIRST), 'no SHARED lock on the database file while a connection is open');
    createOwnerOnly(path);
    assert.ok(holdsLock(path, SQLITE_SHARED_FIRST), 'createOwnerOnly dropped the open connection’s lock on the database file');
    assert.ok(holdsLock(`${path}-shm`, SHM_DMS_BYTE));
  });

  it('are released once the last handle closes, so the file is left as SQLite leaves it', async (t) => {
    const { path, open } = serverDatabase(t);
    const handle = open();
    handle.revision!();
    await handle.close();
    assert.equal(holdsLock(`${path}-shm`, SHM_DMS_BYTE), false);
  });
});

describe('the addon', () => {
  it('refuses what is not an open descriptor and a positive length, naming what it takes', () => {
    const binding = nativeAddon()!;
    assert.throws(() => binding.map(-1, 4096), /map\(fd, length\) takes an open file descriptor and a positive length/);
    assert.throws(() => binding.map(0, 0), /positive length/);
    assert.throws(() => binding.map(987_654, 4096), /Bad file descriptor/);
  });
});
