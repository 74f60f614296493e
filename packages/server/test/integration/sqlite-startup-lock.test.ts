import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { runCli, runCliAsync, startServe, stopAllServers } from '../helpers/cli.js';

// Start-up (migrations, then the first-organization check) is serialised across
// processes on one SQLite file, as it is on PostgreSQL with the advisory lock;
// and a server whose rate limit counts in its memory serves a SQLite file alone.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TRIALS = 8;
const PROCESSES = 3;

describe('SQLite start-up lock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'orgplane-startup-lock-'));
  let n = 0;
  const fresh = () => join(dir, `db-${n++}.sqlite`);
  after(() => rmSync(dir, { recursive: true, force: true }));

  it(`${PROCESSES} concurrent migrate runs on one new file all succeed, and exactly one applies the migrations (${TRIALS} trials)`, { timeout: 120_000 }, async () => {
    for (let trial = 0; trial < TRIALS; trial++) {
      const db = `sqlite:${fresh()}`;
      const runs = await Promise.all(Array.from({ length: PROCESSES }, () => runCliAsync(['migrate', '--database', db])));
      for (const run of runs) assert.equal(run.status, 0, `trial ${trial}: ${run.stderr}`);
      assert.equal(runs.filter((r) => /^Applied/.test(r.stdout)).length, 1, `trial ${trial}: ${runs.map((r) => r.stdout).join(' | ')}`);
    }
  });

  // One server per SQLite file (its rate limit counts in its memory): of two serves starting
  // together on an empty file one serves, with the one first organization and key, the other refuses.
  it('two serve processes starting together on one empty file: one serves and shows the one first key, the other refuses', { timeout: 120_000 }, async () => {
    for (let trial = 0; trial < 4; trial++) {
      const db = `sqlite:${fresh()}`;
      const starts = await Promise.allSettled([0, 1].map(() => startServe(['--database', db])));
      const servers = starts.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
      try {
        assert.equal(servers.length, 1, `trial ${trial}: ${starts.map((s) => (s.status === 'rejected' ? String(s.reason) : 'started')).join(' | ')}`);
        const refused = starts.find((s) => s.status === 'rejected') as PromiseRejectedResult;
        assert.match(String(refused.reason), /exited with 1: orgplane: another orgplane server is already serving .*serve a SQLite file from one server/);
        assert.match(servers[0]!.stderr(), /key secret:/);
      } finally {
        await Promise.all(servers.map((s) => s.stop()));
      }
      const listed = runCli(['org', 'list', '--database', db, '--json']);
      assert.equal(listed.status, 0, listed.stderr);
      assert.equal(JSON.parse(listed.stdout).length, 1, `trial ${trial}: ${listed.stdout}`);
    }
  });

  it('a serve on a file another server serves is refused, operator commands still work, and once that server is killed a new one starts', { timeout: 60_000 }, async () => {
    const db = `sqlite:${fresh()}`;
    const first = await startServe(['--database', db]);
    try {
      await assert.rejects(startServe(['--database', db]), /exited with 1: orgplane: another orgplane server is already serving/);
      const listed = runCli(['org', 'list', '--database', db, '--json']);
      assert.equal(listed.status, 0, listed.stderr);
      assert.equal(JSON.parse(listed.stdout).length, 1);
      assert.equal((await fetch(`${first.url}/health`)).status, 200, 'the first server is unaffected');
    } finally {
      await first.stop('SIGKILL');
    }
    const next = await startServe(['--database', db]);
    assert.equal((await fetch(`${next.url}/health`)).status, 200);
    assert.equal(await next.stop(), 0);
  });

  it('servers whose rate limit does not count in memory (off, or shared through --redis) share a file, but not with one whose does', { timeout: 60_000 }, async () => {
    const db = `sqlite:${fresh()}`;
    const unlimited = await Promise.all([0, 1].map(() => startServe(['--database', db, '--rate-limit', 'off'])));
    try {
      await assert.rejects(startServe(['--database', db]), /exited with 1: orgplane: another orgplane server is already serving .*the rate limit of this one counts in its own memory/);
      for (const s of unlimited) assert.equal((await fetch(`${s.url}/health`)).status, 200);
    } finally {
      await Promise.all(unlimited.map((s) => s.stop('SIGKILL')));
    }
    const limited = await startServe(['--database', db]);
    try {
      await assert.rejects(startServe(['--database', db, '--rate-limit', 'off']), /exited with 1: orgplane: another orgplane server is already serving .*the rate limit of that one counts in its own memory/);
    } finally {
      await limited.stop();
    }
  });

  it('migrate waits while another process holds the lock, and goes on once that process is killed', { timeout: 60_000 }, async () => {
    const file = fresh();
    // Holds the lock the way a process in its own start-up does, then is SIGKILLed without releasing it.
    const holder = spawn(
      process.execPath,
      ['-e', `const db = new (require('better-sqlite3'))(process.argv[1]); db.pragma('journal_mode = MEMORY'); db.exec('BEGIN EXCLUSIVE'); console.log('held'); setInterval(() => {}, 1000);`, `${file}.startup-lock`],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await once(holder.stdout!, 'data');
      let finished = false;
      const migrate = runCliAsync(['migrate', '--database', `sqlite:${file}`]).then((r) => ((finished = true), r));
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.equal(finished, false, 'migrate ran while another process held the start-up lock');
      holder.kill('SIGKILL');
      const result = await migrate;
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /^Applied/);
    } finally {
      holder.kill('SIGKILL');
    }
  });
});

// Whatever a failed test left running.
after(() => stopAllServers());
