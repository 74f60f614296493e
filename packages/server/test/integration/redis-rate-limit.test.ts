import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { describeUnless, redisSkipReason } from '../helpers/backends.js';
import { runCli, startServe, type ServeProcess, stopAllServers } from '../helpers/cli.js';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { generateKeyPair } from '../../src/domain/keys/key-material.js';
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

describeUnless(redisSkipReason(), 'emulator reset and the Redis counters', () => {
  const dir = mkdtempSync(join(tmpdir(), 'orgplane-redis-reset-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('POST /_orgplane/reset forgets the counters kept in Redis: the same key (same UUID) gets a fresh budget', async () => {
    const pair = generateKeyPair();
    const fixture = join(dir, 'fixture.json');
    // A fixed key UUID: the counter is keyed by it, so only a forgotten counter gives the budget back.
    writeFileSync(fixture, JSON.stringify({ organizations: [{ name: 'Redis reset', keys: [{ id: '0f5c3f0e-8d8b-4d2e-9a5e-7a1b2c3d4e5f', name: 'k', ...pair, roles: ['admin'] }] }] }));
    const serve = await startServe(['--database', `sqlite:${join(dir, 'reset.db')}`, '--rate-limit', '2/60s', '--redis', redisUrl!, '--controls', '--seed', fixture]);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await request(serve, 'GET', '/v1/organizations', { auth: pair })).status);
    assert.deepEqual(statuses, [200, 200, 429]);
    assert.equal((await request(serve, 'POST', '/_orgplane/reset')).status, 200);
    const after = await request(serve, 'GET', '/v1/organizations', { auth: pair });
    assert.equal(after.status, 200, after.text);
    assert.equal(after.headers.get('x-ratelimit-remaining'), '1');
    await serve.stop();
  });
});

describeUnless(redisSkipReason(), 'emulator reset on a shared Redis', () => {
  const dir = mkdtempSync(join(tmpdir(), 'orgplane-redis-shared-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("POST /_orgplane/reset clears this deployment's counters only, without KEYS", async () => {
    const redis = new Redis(redisUrl!);
    const monitor = await redis.monitor();
    const commands: string[] = [];
    monitor.on('monitor', (_time: string, args: string[]) => commands.push(String(args[0]).toLowerCase()));
    try {
      const pair = generateKeyPair();
      const keyUuid = randomUUID();
      // Another deployment's counters under the same prefix: one of a plain limiter, one of a controlled clock's window.
      const foreign = [`orgplane:${randomUUID()}`, `orgplane:${randomUUID()}:12345`];
      for (const name of foreign) await redis.set(name, '7', 'EX', 300);
      const serve = await startServe(['--database', `sqlite:${join(dir, 'shared.db')}`, '--rate-limit', '2/60s', '--redis', redisUrl!, '--controls']);
      const seeded = await request(serve, 'POST', '/_orgplane/seed', { body: { organizations: [{ name: 'Shared', keys: [{ id: keyUuid, name: 'k', ...pair, roles: ['admin'] }] }] } });
      assert.equal(seeded.status, 200, seeded.text);
      for (let i = 0; i < 2; i++) assert.equal((await request(serve, 'GET', '/v1/organizations', { auth: pair })).status, 200);
      const own = async () => (await redis.scan('0', 'MATCH', `orgplane:${keyUuid}*`, 'COUNT', 100_000))[1];
      assert.equal((await own()).length, 1, 'the key has a counter in Redis');
      commands.length = 0;
      assert.equal((await request(serve, 'POST', '/_orgplane/reset')).status, 200);
      await serve.stop();
      assert.deepEqual(await own(), [], "this deployment's counter is gone");
      for (const name of foreign) assert.equal(await redis.get(name), '7', `${name} survives the reset`);
      assert.ok(commands.includes('scan') || commands.includes('del'), `the monitor saw the reset: ${commands.join(' ')}`);
      assert.ok(!commands.includes('keys'), `KEYS was used: ${commands.join(' ')}`);
      await redis.del(...foreign);
    } finally {
      monitor.disconnect();
      redis.disconnect();
    }
  });
});

// Whatever a failed test left running.
after(() => stopAllServers());
