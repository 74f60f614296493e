import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import Database from 'better-sqlite3';
import { loadWalIndexBinding, walIndexHeaders, type WalIndexBinding } from '../../src/db/wal-index-header.js';
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

const bindings: [string, WalIndexBinding | undefined][] = [
  ['mapped (the addon)', loadWalIndexBinding()],
  ['read with pread (no addon)', undefined],
];

describe('the WAL-index headers', () => {
  it('are mapped here: npm install built the addon (it needs a C compiler, as every machine of this project has)', () => {
    assert.ok(loadWalIndexBinding(), 'build/Release/wal_index.node did not load: npm install should have built it from native/wal_index.c');
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

describe('the addon', () => {
  it('refuses what is not an open descriptor and a positive length, naming what it takes', () => {
    const binding = loadWalIndexBinding()!;
    assert.throws(() => binding.map(-1, 4096), /map\(fd, length\) takes an open file descriptor and a positive length/);
    assert.throws(() => binding.map(0, 0), /positive length/);
    assert.throws(() => binding.map(987_654, 4096), /Bad file descriptor/);
  });
});
