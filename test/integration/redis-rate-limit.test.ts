import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { describeUnless, redisSkipReason } from '../helpers/backends.js';
import { runCli, startServe, type ServeProcess, stopAllServers } from '../helpers/cli.js';
import { request } from '../helpers/server.js';

const redisUrl = process.env.ORGPLANE_TEST_REDIS_URL;

describeUnless(redisSkipReason(), 'rate limit shared through Redis (--redis)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'orgplane-redis-'));
  const db = `sqlite:${join(dir, 'shared.db')}`;
  let instances: ServeProcess[] = [];
  let boot: { organizationId: string; keyId: string; keySecret: string };

  before(async () => {
    assert.equal(runCli(['migrate', '--database', db]).status, 0);
    boot = JSON.parse(runCli(['bootstrap', '--org-name', 'Redis', '--json', '--database', db]).stdout);
    // Two processes on one SQLite file (WAL allows it), sharing counters through Redis.
    instances = await Promise.all([0, 1].map(() => startServe(['--database', db, '--rate-limit', '5/10s', '--redis', redisUrl!])));
  });
  after(async () => {
    await Promise.all(instances.map((i) => i.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives a key one budget across instances', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) {
      statuses.push((await request(instances[i % 2]!, 'GET', '/v1/organizations', { auth: { keyId: boot.keyId, keySecret: boot.keySecret } })).status);
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429, 429, 429]);
  });
});

// Whatever a failed test left running.
after(() => stopAllServers());
