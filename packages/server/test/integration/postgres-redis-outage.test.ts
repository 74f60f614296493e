import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { systemClock } from '../../src/clock.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { systemActor } from '../../src/domain/actor.js';
import { bootstrapOrganization } from '../../src/domain/bootstrap.js';
import { createDomain } from '../../src/domain/create-domain.js';
import { addKey } from '../../src/domain/keys/key.service.js';
import { createTestDatabase, describeUnless, postgresSkipReason, redisSkipReason, type TestDatabase } from '../helpers/backends.js';
import { startServe, stopAllServers, type ServeProcess } from '../helpers/cli.js';
import { request, type Credentials } from '../helpers/server.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';

// Several instances on PostgreSQL with --redis: the counters live in Redis, and when Redis
// goes away the limit falls back to PostgreSQL (still shared) instead of failing requests.
const redisUrl = process.env.ORGPLANE_TEST_REDIS_URL;

describeUnless(postgresSkipReason() ?? redisSkipReason(), 'rate limit through Redis, across instances, through a Redis outage', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let proxy: TcpProxy;
  let instances: ServeProcess[] = [];
  let org: string;

  async function newKey(): Promise<Credentials> {
    const { keyId, keySecret } = await addKey(createDomain(handle, systemClock), org, { name: 'sprayer', roles: ['admin'] }, { actor: systemActor('test') });
    return { keyId: keyId!, keySecret: keySecret! };
  }

  /** Counters kept in PostgreSQL (the rate_limits table is outside the typed schema: only rate-limiter-flexible uses it). */
  async function rateLimitRows(): Promise<number> {
    return (await sql<{ n: number }>`select count(*)::int as n from rate_limits`.execute(handle.db)).rows[0]!.n;
  }

  /** 30 concurrent requests with one key, spread over both instances; returns how many were served. */
  async function spray(auth: Credentials): Promise<number[]> {
    const res = await Promise.all(Array.from({ length: 30 }, (_, i) => request(instances[i % 2]!, 'GET', `/v1/organizations/${org}`, { auth })));
    return res.map((r) => r.status);
  }

  before(async () => {
    database = await createTestDatabase('postgres');
    handle = openDatabase(database.url);
    const redis = new URL(redisUrl!);
    proxy = new TcpProxy(redis.hostname, Number(redis.port || 6379));
    await proxy.start();
    const viaProxy = new URL(redisUrl!);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    instances = await Promise.all([0, 1].map(() => startServe(['--database', database.url, '--rate-limit', '10/10s', '--redis', viaProxy.toString()])));
    org = (await bootstrapOrganization(createDomain(handle, systemClock), { organizationName: 'redis', keyName: 'boot', role: 'admin' }, 'bootstrap')).organizationId;
  });
  after(async () => {
    await Promise.all(instances.map((i) => i.stop()));
    await proxy.cut();
    await handle.close();
    await database.drop();
  });

  it('keeps the counters in Redis, not in PostgreSQL', async () => {
    const statuses = await spray(await newKey());
    assert.equal(statuses.filter((s) => s === 200).length, 10, statuses.join(','));
    assert.ok(statuses.every((s) => s === 200 || s === 429));
    assert.equal(await rateLimitRows(), 0);
  });

  it('falls back to PostgreSQL while Redis is down: no 503, and the budget stays shared', async () => {
    await proxy.cut();
    const statuses = await spray(await newKey());
    assert.equal(statuses.filter((s) => s === 200).length, 10, statuses.join(','));
    assert.ok(statuses.every((s) => s === 200 || s === 429), statuses.join(','));
    assert.equal(await rateLimitRows(), 1);
    for (const instance of instances) assert.equal(instance.child.exitCode, null);
  });

  it('goes back to Redis when it returns', async () => {
    await proxy.restore();
    const key = await newKey();
    // ioredis reconnects on its own, with a back-off of up to 2 s.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const statuses = await spray(key);
    assert.equal(statuses.filter((s) => s === 200).length, 10, statuses.join(','));
    assert.equal(await rateLimitRows(), 1, 'the new key was counted in PostgreSQL');
  });
});

// Whatever a failed test left running.
after(() => stopAllServers());
