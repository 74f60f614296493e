import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, testBackends, type TestDatabase } from '../helpers/backends.js';
import { runCli, startServe, type ServeProcess } from '../helpers/cli.js';
import { request, type Credentials } from '../helpers/server.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';

const postgres = testBackends().includes('postgres');
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('PostgreSQL outages', { skip: !postgres && 'needs ORGPLANE_TEST_POSTGRES_URL' }, () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let server: ServeProcess;
  let org: string;
  let auth: Credentials;

  before(async () => {
    database = await createTestDatabase('postgres');
    const direct = new URL(database.url);
    proxy = new TcpProxy(direct.hostname, Number(direct.port || 5432));
    await proxy.start();
    const viaProxy = new URL(database.url);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const boot = JSON.parse(runCli(['bootstrap', '--org-name', 'Faulty', '--json', '--database', database.url]).stdout);
    org = boot.organizationId;
    auth = { keyId: boot.keyId, keySecret: boot.keySecret };
    server = await startServe(['--database', viaProxy.toString(), '--rate-limit', 'off']);
  });
  after(async () => {
    await server.stop();
    await proxy.cut();
    await database.drop();
  });

  it('answers 503 in the envelope while the database is unreachable, and recovers by itself', async () => {
    assert.equal((await request(server, 'GET', `/v1/organizations/${org}`, { auth })).status, 200);
    await proxy.cut();
    await new Promise((resolve) => setTimeout(resolve, 1100)); // past the verified-key cache

    for (const [method, body] of [['GET', undefined], ['PATCH', { name: 'during outage' }]] as const) {
      const started = Date.now();
      const res = await request(server, method, `/v1/organizations/${org}`, { auth, ...(body ? { body } : {}) });
      const elapsed = Date.now() - started;
      assert.equal(res.status, 503, res.text);
      assert.equal(res.body.status, 503);
      assert.match(res.body.requestId, UUID_V4);
      assert.ok(elapsed < 6000, `503 took ${elapsed} ms`);
    }
    assert.equal((await request(server, 'GET', '/ready')).status, 503);
    assert.equal((await request(server, 'GET', '/health')).status, 200);

    await proxy.restore();
    let recovered = 0;
    for (let i = 0; i < 20 && recovered === 0; i++) {
      if ((await request(server, 'GET', `/v1/organizations/${org}`, { auth })).status === 200) recovered = 1;
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.equal(recovered, 1, 'did not recover within 5 s');
    assert.equal((await request(server, 'GET', '/ready')).status, 200);
    const patch = await request(server, 'PATCH', `/v1/organizations/${org}`, { auth, body: { name: 'after outage' } });
    assert.equal(patch.status, 200);
    // The PATCH refused during the outage left nothing behind.
    const names = (await request(server, 'GET', `/v1/organizations/${org}/activities`, { auth })).body.result.filter((a: { type: string }) => a.type === 'organization_update_name');
    assert.equal(names.length, 1);
  });

  it('survives its connections being terminated by the database', async () => {
    await database.terminateConnections();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await request(server, 'GET', `/v1/organizations/${org}`, { auth })).status);
    assert.ok(statuses.every((s) => s === 200 || s === 503), statuses.join(','));
    assert.equal(statuses.at(-1), 200);
  });

  it('exits non-zero with a clear message when the database is unreachable at start-up', () => {
    const started = Date.now();
    const res = runCli(['serve', '--port', '0', '--database', 'postgres://postgres@127.0.0.1:9/nothing']);
    assert.notEqual(res.status, 0);
    assert.match(res.stderr, /cannot reach the database at postgres:\/\/postgres@127\.0\.0\.1:9\/nothing after 5 attempts/);
    assert.ok(Date.now() - started < 25_000);
  });
});
