import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testBackends } from '../helpers/backends.js';
import { listenDualStack } from '../helpers/dual-stack.js';
import { KeyApi, snapshot } from '../helpers/key-api.js';
import { assertNoCredentialsStored } from '../helpers/stored-credentials.js';
import { request, startTestServer, type Credentials, type TestServer } from '../helpers/server.js';

// Issue 3: IP allow lists. With a non-empty list, a request from an address
// outside it is refused with 403 before anything else happens; IPv4-mapped
// IPv6 client addresses match their IPv4 entries; X-Forwarded-For is not
// trusted by default.
//
// The test server listens on 127.0.0.1 only (clients are plain IPv4). A second
// listener on the dual-stack wildcard "::" sees 127.0.0.1 clients as
// ::ffff:127.0.0.1 and lets the suite connect over [::1].

const IP_403 = /IP address/;

for (const backend of testBackends()) {
  describe(`API key IP allow lists [${backend}]`, () => {
    let server: TestServer;
    let api: KeyApi;
    let dual: Awaited<ReturnType<typeof listenDualStack>>;
    let limited: Awaited<ReturnType<typeof listenDualStack>>;

    before(async () => {
      server = await startTestServer({ backend });
      api = new KeyApi(server);
      dual = await listenDualStack(server);
      limited = await listenDualStack(server, { rateLimit: { points: 2, windowSeconds: 60 } });
    });
    after(async () => {
      await dual.close();
      await limited.close();
      await server.close();
    });

    const withList = (...sources: string[]) => api.create({ roles: ['admin'], ipAccessList: sources.map((source) => ({ source })) });
    const status = async (target: { url: string }, key: Credentials, path = '/v1/organizations') => (await request(target, 'GET', path, { auth: key })).status;

    describe('a client at 127.0.0.1 (IPv4 socket)', () => {
      it('a list excluding 127.0.0.1 (10.0.0.0/8) → 403 with a message about the IP address', async () => {
        const key = await withList('10.0.0.0/8');
        const res = await request(server, 'GET', '/v1/organizations', { auth: key });
        assert.equal(res.status, 403, res.text);
        assert.match(res.body.error, IP_403);
        assert.deepEqual(Object.keys(res.body).sort(), ['error', 'requestId', 'status']);
      });

      for (const sources of [['127.0.0.0/8'], ['127.0.0.1'], ['10.0.0.0/8', '127.0.0.1/32'], ['0.0.0.0/0']]) {
        it(`a list including 127.0.0.1 (${sources.join(', ')}) → 200`, async () => {
          assert.equal(await status(server, await withList(...sources)), 200);
        });
      }

      it('a list with only IPv6 entries (::1, ::/0) → 403', async () => {
        assert.equal(await status(server, await withList('::1')), 403);
        assert.equal(await status(server, await withList('::/0')), 403);
      });

      it('an entry written as the IPv4-mapped form ::ffff:127.0.0.1 admits 127.0.0.1 (or is refused on create)', async () => {
        const res = await api.createRaw({ name: 'mapped entry', roles: ['admin'], ipAccessList: [{ source: '::ffff:127.0.0.1' }] });
        if (res.status === 400) {
          assert.match(res.body.error, /ipAccessList\[0\]\.source/);
          return;
        }
        assert.equal(res.status, 200, res.text);
        const key = { keyId: res.body.result.keyId, keySecret: res.body.result.keySecret };
        assert.equal(await status(server, key), 200, 'an accepted entry for 127.0.0.1 refuses 127.0.0.1');
        assert.equal(await status(dual.v4, key), 200, 'an accepted entry for 127.0.0.1 refuses ::ffff:127.0.0.1');
      });
    });

    describe('403 before anything else', () => {
      let blocked: Awaited<ReturnType<typeof withList>>;
      before(async () => {
        blocked = await withList('10.0.0.0/8', '2001:db8::/32');
      });

      it('even on routes the key could otherwise read, on admin routes, foreign organizations and with broken bodies', async () => {
        const org = `/v1/organizations/${server.organizationId}`;
        const cases: [string, string, Record<string, unknown>][] = [
          ['GET', '/v1/organizations', {}],
          ['GET', org, {}],
          ['GET', `${org}/activities`, {}],
          ['GET', api.keysPath, {}],
          ['GET', api.keyPath(blocked.id), {}],
          ['GET', `/v1/organizations/6a0e1e0c-5b6f-4c7e-9d1f-1f2e3d4c5b6a`, {}],
          ['PATCH', org, { rawBody: '{"name":', headers: { 'content-type': 'application/json' } }],
          ['POST', api.keysPath, { body: { name: 'x', roles: ['nope'] } }],
          ['PATCH', api.keyPath(blocked.id), { body: { ipAccessList: [] } }],
          ['DELETE', api.keyPath(blocked.id), {}],
        ];
        const before = await snapshot(api);
        for (const [method, path, options] of cases) {
          const res = await request(server, method, path, { auth: blocked, ...options });
          assert.equal(res.status, 403, `${method} ${path}: ${res.text}`);
          assert.match(res.body.error, IP_403, `${method} ${path}`);
        }
        assert.deepEqual(await snapshot(api), before, 'a refused request changed something');
        assert.equal('usedAt' in (await api.get(blocked.id)), false, 'a refused request counts as a use');
      });

      it('before the rate limit: refused requests are 403, never 429, and spend none of the budget', async () => {
        for (let i = 0; i < 5; i++) {
          const res = await request(limited.v4, 'GET', '/v1/organizations', { auth: blocked });
          assert.equal(res.status, 403, res.text);
          assert.equal(res.headers.get('x-ratelimit-remaining'), null);
        }
        const open = await withList('127.0.0.0/8');
        assert.deepEqual([await status(limited.v4, open), await status(limited.v4, open), await status(limited.v4, open)], [200, 200, 429]);
      });

      it('but only after the credentials: a wrong secret from outside the list is the plain 401', async () => {
        const res = await request(server, 'GET', '/v1/organizations', { auth: { keyId: blocked.keyId, keySecret: 'wrong' } });
        assert.equal(res.status, 401, res.text);
      });

      it('X-Forwarded-For is not trusted by default: it cannot get a client in, nor keep one out', async () => {
        const spoof = { 'x-forwarded-for': '10.1.2.3', 'x-real-ip': '10.1.2.3', forwarded: 'for=10.1.2.3' };
        assert.equal((await request(server, 'GET', '/v1/organizations', { auth: blocked, headers: spoof })).status, 403);
        const loopback = await withList('127.0.0.0/8');
        assert.equal((await request(server, 'GET', '/v1/organizations', { auth: loopback, headers: spoof })).status, 200);
        // The activity records the socket's address, not the header's.
        const patched = await request(server, 'PATCH', api.keyPath(loopback.id), { auth: loopback, headers: spoof, body: { name: 'via spoofed header' } });
        assert.equal(patched.status, 200, patched.text);
        const [activity] = await api.activities();
        assert.equal(activity.targetKeyId, loopback.id);
        assert.equal(activity.actorIpAddress, '127.0.0.1');
      });
    });

    describe('changing the list', () => {
      it('PATCH replaces the list and takes effect on the next request, both ways', async () => {
        const key = await withList('127.0.0.1');
        assert.equal(await status(server, key), 200);
        await api.patchOk(key.id, { ipAccessList: [{ source: '10.0.0.0/8' }] });
        assert.equal(await status(server, key), 403);
        await api.patchOk(key.id, { ipAccessList: [{ source: '10.0.0.0/8' }, { source: '127.0.0.0/8' }] });
        assert.equal(await status(server, key), 200);
        await api.patchOk(key.id, { ipAccessList: [{ source: '192.0.2.0/24' }] });
        assert.equal(await status(server, key), 403);
        await api.patchOk(key.id, { ipAccessList: [] });
        assert.equal(await status(server, key), 200, 'an empty list allows every address');
      });

      it('a key can lock itself out by PATCHing its own list', async () => {
        const key = await withList('127.0.0.0/8');
        const res = await api.patch(key.id, { ipAccessList: [{ source: '10.0.0.0/8' }] }, key);
        assert.equal(res.status, 200, res.text);
        assert.equal(await status(server, key), 403);
      });
    });

    describe('IPv6 and IPv4-mapped clients (a listener on ::)', () => {
      it('a list with only ::1: 403 when connecting via 127.0.0.1, 200 when connecting via [::1]', async () => {
        const key = await withList('::1');
        assert.equal(await status(dual.v4, key), 403);
        assert.equal(await status(dual.v6, key), 200);
        assert.equal(await status(dual.v6, key, api.keysPath), 200);
      });

      it('IPv6 CIDRs match [::1]; IPv4 entries do not', async () => {
        assert.equal(await status(dual.v6, await withList('::/0')), 200);
        assert.equal(await status(dual.v6, await withList('::1/128')), 200);
        assert.equal(await status(dual.v6, await withList('::0:1')), 200, 'a non-canonical spelling of ::1');
        assert.equal(await status(dual.v6, await withList('127.0.0.0/8')), 403);
        assert.equal(await status(dual.v6, await withList('2001:db8::/32')), 403);
      });

      it('an IPv4-mapped client (::ffff:127.0.0.1) matches 127.0.0.1 entries', async () => {
        for (const sources of [['127.0.0.1'], ['127.0.0.0/8'], ['0.0.0.0/0']]) {
          assert.equal(await status(dual.v4, await withList(...sources)), 200, sources.join(', '));
        }
        assert.equal(await status(dual.v4, await withList('10.0.0.0/8')), 403);
        // The activity of such a request records where it came from.
        const key = await withList('127.0.0.1');
        const res = await request(dual.v4, 'PATCH', api.keyPath(key.id), { auth: key, body: { name: 'mapped client' } });
        assert.equal(res.status, 200, res.text);
        const [activity] = await api.activities();
        assert.equal(activity.targetKeyId, key.id);
        assert.match(activity.actorIpAddress, /^(::ffff:)?127\.0\.0\.1$/);
      });

      it('a mixed list admits each family from its own entries only', async () => {
        const key = await withList('10.0.0.0/8', '::1');
        assert.equal(await status(dual.v6, key), 200);
        assert.equal(await status(dual.v4, key), 403);
        assert.equal(await status(server, key), 403);
        const both = await withList('127.0.0.1', '::1');
        assert.deepEqual([await status(dual.v6, both), await status(dual.v4, both), await status(server, both)], [200, 200, 200]);
      });
    });

    it('never stored or logged any issued key ID or secret', async () => {
      await assertNoCredentialsStored(server, api.issued);
    });
  });
}
