import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { generateKeyPair } from '../../src/domain/keys/key-material.js';
import { DEFAULT_JOURNAL_SIZE, MAX_JOURNAL_BODY_CHARS } from '../../src/schemas/controls.js';
import { BODY_LIMIT_BYTES } from '../../src/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/backends.js';
import { startServe, stopAllServers, type ServeProcess } from '../helpers/cli.js';
import { request } from '../helpers/server.js';

// The request journal keeps at most MAX_JOURNAL_BODY_CHARS of each body, and
// only that: a kept prefix must not hold the whole body it was cut from alive.
// A real `orgplane serve --controls` process, its RSS read from /proc, filled
// with refused requests of the largest body the API accepts.

const REQUESTS = DEFAULT_JOURNAL_SIZE;
const CONCURRENCY = 4;
/** What the journal may hold (its bound) plus the allocator's slack: far below one whole body per entry. */
const MAX_RSS_GROWTH_MB = 250;
const DEADLINE_MS = 120_000;

function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
}

describe('request journal memory (real serve process)', () => {
  let db: TestDatabase;
  let server: ServeProcess;
  const credentials = generateKeyPair();
  let organizationId: string;

  before(async () => {
    db = await createTestDatabase('sqlite');
    server = await startServe(['--database', db.url, '--controls', '--rate-limit', 'off']);
    const seeded = await request(server, 'POST', '/_orgplane/seed', {
      body: { organizations: [{ name: 'Journaled', keys: [{ name: 'no permissions', ...credentials, assignedRoleIds: ['Member'] }] }] },
    });
    assert.equal(seeded.status, 200, seeded.text);
    organizationId = seeded.body.result.organizationIds[0];
  });
  after(async () => {
    await stopAllServers();
    await db.drop();
  });

  it(`${REQUESTS} refused bodies of 1 MiB grow RSS by under ${MAX_RSS_GROWTH_MB} MB`, { timeout: DEADLINE_MS }, async () => {
    assert.ok(DEFAULT_JOURNAL_SIZE * MAX_JOURNAL_BODY_CHARS < MAX_RSS_GROWTH_MB * 1024 * 1024 / 2, 'the bound leaves room for the slack');
    // The largest JSON body the API accepts, all of it one string the journal cuts.
    const filler = 'a'.repeat(BODY_LIMIT_BYTES - 64);
    const body = JSON.stringify({ name: filler, roles: ['admin'] });
    const path = `/v1/organizations/${organizationId}/keys`;
    const send = () => request(server, 'POST', path, { auth: credentials, rawBody: body, headers: { 'content-type': 'application/json' } });
    // Warm up (code, pools, the first journal entries) before the baseline.
    for (let i = 0; i < 20; i++) assert.equal((await send()).status, 400);
    const pid = server.child.pid!;
    const baselineMb = rssMb(pid);
    let peakMb = baselineMb;
    let next = 0;
    const statuses = new Map<number, number>();
    const started = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < REQUESTS && Date.now() - started < DEADLINE_MS - 10_000) {
          next++;
          const { status } = await send();
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          peakMb = Math.max(peakMb, rssMb(pid));
        }
      }),
    );
    peakMb = Math.max(peakMb, rssMb(pid));
    const journal = await request(server, 'GET', `/_orgplane/requests?limit=${REQUESTS}`);
    assert.equal(journal.status, 200);
    process.stdout.write(`# ${next} requests in ${Date.now() - started} ms; RSS ${Math.round(baselineMb)} MB → peak ${Math.round(peakMb)} MB\n`);
    assert.deepEqual([...statuses], [[400, REQUESTS]], 'every request is refused (its name is over-long), and every one was sent');
    // Each entry kept the start of its body, cut to the bound.
    const entry = journal.body.result[0];
    assert.equal(entry.bodyTruncated, true);
    assert.equal(entry.body.length, MAX_JOURNAL_BODY_CHARS);
    assert.ok(peakMb - baselineMb < MAX_RSS_GROWTH_MB, `RSS grew by ${Math.round(peakMb - baselineMb)} MB (from ${Math.round(baselineMb)} MB)`);
  });
});
