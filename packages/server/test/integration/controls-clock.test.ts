import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, describeUnless, postgresSkipReason, testBackends, type TestDatabase } from '../helpers/backends.js';
import { startServe, stopAllServers, type ServeProcess } from '../helpers/cli.js';
import { createApiKey } from '../helpers/keys.js';
import { request, startTestServer, type TestServer } from '../helpers/server.js';

// The emulator clock (/_orgplane/clock): every time the server uses comes from it.

const setClock = (server: TestServer, now: string, frozen = true) => request(server, 'PUT', '/_orgplane/clock', { body: { now, frozen } });
const advance = (server: TestServer, seconds: number) => request(server, 'POST', '/_orgplane/clock/advance', { body: { seconds } });

for (const backend of testBackends()) {
  describe(`emulator clock [${backend}]`, () => {
    let server: TestServer;
    const keys = () => `/v1/organizations/${server.organizationId}/keys`;
    const activities = (query = '') => `/v1/organizations/${server.organizationId}/activities${query}`;

    before(async () => {
      server = await startTestServer({ backend, controls: {} });
    });
    after(async () => {
      await server.close();
    });

    it('reads real time until set, then stands still when frozen and runs on when not', async () => {
      const real = await request(server, 'GET', '/_orgplane/clock');
      assert.equal(real.status, 200, real.text);
      assert.equal(real.body.result.real, true);
      assert.ok(Math.abs(Date.parse(real.body.result.now) - Date.now()) < 5000);

      const frozen = await setClock(server, '2030-01-01T00:00:00Z');
      assert.deepEqual(frozen.body.result, { now: '2030-01-01T00:00:00.000Z', frozen: true, real: false });
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal((await request(server, 'GET', '/_orgplane/clock')).body.result.now, '2030-01-01T00:00:00.000Z');

      const running = await setClock(server, '2030-01-02T00:00:00Z', false);
      assert.equal(running.body.result.frozen, false);
      await new Promise((resolve) => setTimeout(resolve, 30));
      const later = Date.parse((await request(server, 'GET', '/_orgplane/clock')).body.result.now);
      assert.ok(later >= Date.parse('2030-01-02T00:00:00.020Z') && later < Date.parse('2030-01-02T00:00:05Z'), String(later));

      const moved = await advance(server, 86_400);
      assert.equal(moved.body.result.frozen, false);
      assert.ok(Date.parse(moved.body.result.now) >= Date.parse('2030-01-03T00:00:00Z'));
    });

    it('stamps creations, activities (ID and time) and usedAt with its time', async () => {
      await setClock(server, '2031-03-04T05:06:07.089Z');
      const key = await createApiKey(server, { name: 'clocked key' });
      const shown = await request(server, 'GET', `${keys()}/${key.id}`, { auth: key });
      assert.equal(shown.status, 200, shown.text);
      assert.equal(shown.body.result.createdAt, '2031-03-04T05:06:07.089Z');
      const [newest] = (await request(server, 'GET', activities(), { auth: server.admin })).body.result;
      assert.equal(newest.type, 'key_create');
      assert.equal(newest.createdAt, '2031-03-04T05:06:07.089Z');
      // A UUIDv7's first 48 bits are its millisecond timestamp.
      assert.equal(parseInt(newest.id.replace(/-/g, '').slice(0, 12), 16), Date.parse('2031-03-04T05:06:07.089Z'));
      await advance(server, 3600);
      await request(server, 'GET', keys(), { auth: key });
      const used = await request(server, 'GET', `${keys()}/${key.id}`, { auth: server.admin });
      assert.equal(used.body.result.usedAt, '2031-03-04T06:06:07.089Z');
    });

    it('expires a key when advanced past its expireAt: 401 afterwards', async () => {
      await setClock(server, '2032-01-01T00:00:00Z');
      const key = await createApiKey(server, { name: 'expiring key', expireAt: '2032-01-01T01:00:00Z' });
      assert.equal((await request(server, 'GET', keys(), { auth: key })).status, 200);
      assert.equal((await advance(server, 3599)).status, 200);
      assert.equal((await request(server, 'GET', keys(), { auth: key })).status, 200, 'one second before expireAt');
      await advance(server, 1);
      assert.equal((await request(server, 'GET', keys(), { auth: key })).status, 401);
    });

    it('expires an invitation: re-inviting the email is a 409 while open, a new invitation once the clock passes its expireAt', async () => {
      await setClock(server, '2033-01-01T00:00:00Z');
      const invitations = `/v1/organizations/${server.organizationId}/invitations`;
      const first = await request(server, 'POST', invitations, { auth: server.admin, body: { email: 'clocked@example.com' } });
      assert.equal(first.status, 200, first.text);
      assert.equal(first.body.result.expireAt, '2033-01-08T00:00:00.000Z');
      assert.equal((await request(server, 'POST', invitations, { auth: server.admin, body: { email: 'clocked@example.com' } })).status, 409);
      await advance(server, 7 * 86_400);
      const again = await request(server, 'POST', invitations, { auth: server.admin, body: { email: 'clocked@example.com' } });
      assert.equal(again.status, 200, again.text);
      assert.notEqual(again.body.result.id, first.body.result.id);
    });

    it('moves the date-only activity filters: activities of an advanced day are found by that day', async () => {
      await setClock(server, '2034-06-01T12:00:00Z');
      await createApiKey(server, { name: 'june first' });
      await advance(server, 2 * 86_400);
      await createApiKey(server, { name: 'june third' });
      const third = await request(server, 'GET', activities('?from_date=2034-06-03&to_date=2034-06-03'), { auth: server.admin });
      assert.deepEqual(third.body.result.map((a: any) => a.createdAt), ['2034-06-03T12:00:00.000Z']);
      const first = await request(server, 'GET', activities('?from_date=2034-06-01&to_date=2034-06-02'), { auth: server.admin });
      assert.deepEqual(first.body.result.map((a: any) => a.createdAt), ['2034-06-01T12:00:00.000Z']);
    });

    it('refuses to move before the newest stored timestamp (400, clock unchanged), by setting or by advancing back', async () => {
      await setClock(server, '2035-01-01T00:00:00Z');
      await createApiKey(server, { name: 'newest' });
      await advance(server, 10);
      const back = await setClock(server, '2034-12-31T23:59:59Z');
      assert.equal(back.status, 400);
      assert.match(back.body.error, /cannot move before 2035-01-01T00:00:00\.000Z/);
      const behind = await advance(server, -11);
      assert.equal(behind.status, 400);
      assert.match(behind.body.error, /'seconds'/);
      assert.equal((await request(server, 'GET', '/_orgplane/clock')).body.result.now, '2035-01-01T00:00:10.000Z');
      // Back to the newest timestamp itself is fine; so is real time when nothing is later than it.
      assert.equal((await advance(server, -10)).status, 200);
      assert.equal((await request(server, 'DELETE', '/_orgplane/clock')).status, 400, 'real time is before 2035');
    });

    it('rejects malformed clock input, naming the field', async () => {
      const cases: [string, string, unknown][] = [
        ['PUT', '/_orgplane/clock', { now: 'tomorrow' }],
        ['PUT', '/_orgplane/clock', { now: '2036-01-01T00:00:00Z', frozen: 'yes' }],
        ['PUT', '/_orgplane/clock', { now: '2036-01-01T00:00:00Z', speed: 2 }],
        ['POST', '/_orgplane/clock/advance', { seconds: '10' }],
        ['POST', '/_orgplane/clock/advance', { seconds: 1e12 }],
      ];
      for (const [method, path, body] of cases) {
        const res = await request(server, method, path, { body });
        assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.text}`);
        assert.match(res.body.error, /now|frozen|speed|seconds/);
      }
      assert.equal((await setClock(server, '9999-12-31T23:59:59Z')).status, 200);
      assert.equal((await advance(server, 1)).status, 400, 'past 9999-12-31T23:59:59.999Z');
    });
  });

  describe(`emulator clock and the rate limit [${backend}]`, () => {
    let server: TestServer;

    before(async () => {
      server = await startTestServer({ backend, controls: {}, rateLimit: { points: 2, windowSeconds: 10 } });
    });
    after(async () => {
      await server.close();
    });

    it('counts windows on the clock: a frozen clock keeps the 429, advancing past the window ends it', async () => {
      await setClock(server, '2040-01-01T00:00:03Z');
      const path = `/v1/organizations/${server.organizationId}`;
      assert.equal((await request(server, 'GET', path, { auth: server.admin })).status, 200);
      assert.equal((await request(server, 'GET', path, { auth: server.admin })).status, 200);
      const limited = await request(server, 'GET', path, { auth: server.admin });
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get('x-ratelimit-reset'), '7', 'the window of 00:00:00–00:00:10 ends in 7 s of clock time');
      assert.equal(limited.headers.get('retry-after'), '7');
      await advance(server, 6);
      const stillLimited = await request(server, 'GET', path, { auth: server.admin });
      assert.equal(stillLimited.status, 429);
      assert.equal(stillLimited.headers.get('x-ratelimit-reset'), '1');
      await advance(server, 1);
      const fresh = await request(server, 'GET', path, { auth: server.admin });
      assert.equal(fresh.status, 200, fresh.text);
      assert.equal(fresh.headers.get('x-ratelimit-remaining'), '1');
    });
  });
}

describeUnless(postgresSkipReason(), 'emulator clock with several instances on PostgreSQL: one clock per instance', () => {
  let database: TestDatabase;
  let instances: ServeProcess[];

  before(async () => {
    database = await createTestDatabase('postgres');
    instances = [];
    instances.push(await startServe(['--database', database.url, '--controls', '--rate-limit', 'off']));
    instances.push(await startServe(['--database', database.url, '--controls', '--rate-limit', 'off']));
  });
  after(async () => {
    await stopAllServers();
    await database.drop();
  });

  it("moves only the instance it is set on; the other refuses to go back before what the first wrote", async () => {
    const [a, b] = instances as [ServeProcess, ServeProcess];
    const [, keyId, keySecret] = /key ID:\s+(\S+)\n\s+key secret:\s+(\S+)/.exec(a.stderr() + b.stderr())!;
    const auth = { keyId: keyId!, keySecret: keySecret! };
    assert.equal((await request(a, 'PUT', '/_orgplane/clock', { body: { now: '2041-01-01T00:00:00Z', frozen: true } })).status, 200);
    assert.equal((await request(b, 'GET', '/_orgplane/clock')).body.result.real, true, 'the other instance keeps real time');
    const [org] = (await request(a, 'GET', '/v1/organizations', { auth })).body.result;
    const created = await request(a, 'POST', `/v1/organizations/${org.id}/keys`, { auth, body: { name: 'at 2041', roles: ['developer'] } });
    assert.equal(created.body.result.key.createdAt, '2041-01-01T00:00:00.000Z');
    // The database is shared: B sees what A wrote, and its clock may not go back before it.
    const back = await request(b, 'PUT', '/_orgplane/clock', { body: { now: '2040-12-31T00:00:00Z' } });
    assert.equal(back.status, 400, back.text);
    assert.match(back.body.error, /2041-01-01T00:00:00\.000Z/);
    assert.equal((await request(b, 'PUT', '/_orgplane/clock', { body: { now: '2041-01-01T00:00:01Z', frozen: true } })).status, 200);
  });
});
