import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli, startServe, stopAllServers } from '../helpers/cli.js';

// The SQLite file holds key hashes and the audit log: owner-only, whatever the umask.
const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);

describe('SQLite file modes', () => {
  const root = mkdtempSync(join(tmpdir(), 'orgplane-modes-'));
  after(async () => {
    await stopAllServers();
    rmSync(root, { recursive: true, force: true });
  });

  it('serve creates the directory 0700 and the database, its WAL, shared memory and start-up lock files 0600, under umask 022', async () => {
    const previous = process.umask(0o022);
    try {
      const dir = join(root, 'served', 'data');
      const file = join(dir, 'orgplane.db');
      const server = await startServe(['--database', `sqlite:${file}`]);
      try {
        assert.equal(mode(join(root, 'served')), '700');
        assert.equal(mode(dir), '700');
        for (const path of [file, `${file}-wal`, `${file}-shm`, `${file}.startup-lock`]) assert.equal(mode(path), '600', path);
      } finally {
        await server.stop();
      }
    } finally {
      process.umask(previous);
    }
  });

  it('migrate creates a new file 0600 too, and leaves the mode of an existing file as its operator set it', () => {
    const file = join(root, 'migrated.db');
    assert.equal(runCli(['migrate', '--database', `sqlite:${file}`]).status, 0);
    assert.equal(mode(file), '600');
    chmodSync(file, 0o640);
    assert.equal(runCli(['migrate', '--database', `sqlite:${file}`]).status, 0);
    assert.equal(mode(file), '640');
  });
});
