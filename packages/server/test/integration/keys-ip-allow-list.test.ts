import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testBackends } from '../helpers/backends.js';
import { connect } from 'node:net';
import { listenDualStack } from '../helpers/dual-stack.js';
import { KeyApi, snapshot } from '../helpers/key-api.js';
import { assertNoCredentialsStored } from '../helpers/stored-credentials.js';
import { basic, request, startTestServer, type Credentials, type TestServer } from '../helpers/server.js';

// Issue 3: IP allow lists. With a non-empty list, a request from an address
// outside it is refused before anything else happens; IPv4-mapped IPv6 client
// addresses match their IPv4 entries; X-Forwarded-For is not trusted by
// default. Issue 16: the refusal is the one 401 of every other authentication
// failure, byte for byte apart from the requestId, so that it does not tell
// whether a secret tried from outside the list is right; the operator's log
// says what happened.
//
// The test server listens on 127.0.0.1 only (clients are plain IPv4). A second
// listener on the dual-stack wildcard "::" sees 127.0.0.1 clients as
// ::ffff:127.0.0.1 and lets the suite connect over [::1].

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/**
 * The raw bytes of one answer (Connection: close), with the requestId and the
 * Date header, which differ between any two answers, blanked out.
 */
function rawAnswer(target: { url: string }, path: string, authorization: string): Promise<string> {
  const url = new URL(target.url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port) }, () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: ${authorization}\r\nConnection: close\r\n\r\n`);
    });
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer')));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1').replace(UUID, '<requestId>').replace(/\r\ndate: [^\r]*/i, '\r\ndate: <date>')));
  });
}

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
      it('a list excluding 127.0.0.1 (10.0.0.0/8) → the one 401: the right and a wrong secret get byte-identical answers apart from the requestId', async () => {
        const key = await withList('10.0.0.0/8');
        const res = await request(server, 'GET', '/v1/organizations', { auth: key });
        assert.equal(res.status, 401, res.text);
        assert.deepEqual(Object.keys(res.body).sort(), ['error', 'requestId', 'status']);
        assert.equal(res.headers.get('www-authenticate'), 'Basic realm="orgplane"');
        const path = `/v1/organizations/${server.organizationId}`;
        const right = await rawAnswer(server, path, basic(key));
        const wrong = await rawAnswer(server, path, basic({ keyId: key.keyId, keySecret: `${key.keySecret.slice(1)}x` }));
        const unknown = await rawAnswer(server, path, basic({ keyId: 'AAAAAAAAAAAAAAAAAAAA', keySecret: key.keySecret }));
        assert.match(right, /^HTTP\/1\.1 401 /);
        assert.equal(right, wrong);
        assert.equal(right, unknown);
      });

      it('tells the operator, not the client: one warning with the key suffix and the address, never the key ID or secret', async () => {
        const key = await withList('10.0.0.0/8');
        const warnings = () => server.logs.filter((line) => line.includes('outside its IP allow list'));
        const seen = warnings().length;
        assert.equal((await request(server, 'GET', '/v1/organizations', { auth: { keyId: key.keyId, keySecret: 'wrong' } })).status, 401);
        assert.equal(warnings().length, seen, 'a wrong secret is an ordinary failure, not a refused address');
        assert.equal((await request(server, 'GET', '/v1/organizations', { auth: key })).status, 401);
        const logged = warnings().slice(seen);
        assert.equal(logged.length, 1, logged.join('\n'));
        const line = JSON.parse(logged[0]!);
        assert.equal(line.keySuffix, key.keyId.slice(-4));
        assert.equal(line.address, '127.0.0.1');
        assert.match(line.requestId, /^[0-9a-f-]{36}$/);
        for (const secret of [key.keyId, key.keySecret, key.id]) assert.equal(logged[0]!.includes(secret), false);
      });

      for (const sources of [['127.0.0.0/8'], ['127.0.0.1'], ['10.0.0.0/8', '127.0.0.1/32'], ['0.0.0.0/0']]) {
        it(`a list including 127.0.0.1 (${sources.join(', ')}) → 200`, async () => {
          assert.equal(await status(server, await withList(...sources)), 200);
        });
      }

      it('a list with only IPv6 entries (::1, ::/0) → 401', async () => {
        assert.equal(await status(server, await withList('::1')), 401);
        assert.equal(await status(server, await withList('::/0')), 401);
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

    describe('401 before anything else', () => {
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
          assert.equal(res.status, 401, `${method} ${path}: ${res.text}`);
        }
        assert.deepEqual(await snapshot(api), before, 'a refused request changed something');
        assert.equal('usedAt' in (await api.get(blocked.id)), false, 'a refused request counts as a use');
      });

      it("before the key's rate limit: refused requests are 401, never its 429, and spend none of its budget", async () => {
        for (let i = 0; i < 5; i++) {
          const res = await request(limited.v4, 'GET', '/v1/organizations', { auth: blocked });
          assert.equal(res.status, 401, res.text);
          assert.equal(res.headers.get('x-ratelimit-remaining'), null);
        }
        const open = await withList('127.0.0.0/8');
        assert.deepEqual([await status(limited.v4, open), await status(limited.v4, open), await status(limited.v4, open)], [200, 200, 429]);
      });

      it('X-Forwarded-For is not trusted by default: it cannot get a client in, nor keep one out', async () => {
        const spoof = { 'x-forwarded-for': '10.1.2.3', 'x-real-ip': '10.1.2.3', forwarded: 'for=10.1.2.3' };
        assert.equal((await request(server, 'GET', '/v1/organizations', { auth: blocked, headers: spoof })).status, 401);
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
        assert.equal(await status(server, key), 401);
        await api.patchOk(key.id, { ipAccessList: [{ source: '10.0.0.0/8' }, { source: '127.0.0.0/8' }] });
        assert.equal(await status(server, key), 200);
        await api.patchOk(key.id, { ipAccessList: [{ source: '192.0.2.0/24' }] });
        assert.equal(await status(server, key), 401);
        await api.patchOk(key.id, { ipAccessList: [] });
        assert.equal(await status(server, key), 200, 'an empty list allows every address');
      });

      it('a key can lock itself out by PATCHing its own list', async () => {
        const key = await withList('127.0.0.0/8');
        const res = await api.patch(key.id, { ipAccessList: [{ source: '10.0.0.0/8' }] }, key);
        assert.equal(res.status, 200, res.text);
        assert.equal(await status(server, key), 401);
      });
    });

    describe('IPv6 and IPv4-mapped clients (a listener on ::)', () => {
      it('a list with only ::1: 401 when connecting via 127.0.0.1, 200 when connecting via [::1]', async () => {
        const key = await withList('::1');
        assert.equal(await status(dual.v4, key), 401);
        assert.equal(await status(dual.v6, key), 200);
        assert.equal(await status(dual.v6, key, api.keysPath), 200);
      });

      it('IPv6 CIDRs match [::1]; IPv4 entries do not', async () => {
        assert.equal(await status(dual.v6, await withList('::/0')), 200);
        assert.equal(await status(dual.v6, await withList('::1/128')), 200);
        assert.equal(await status(dual.v6, await withList('::0:1')), 200, 'a non-canonical spelling of ::1');
        assert.equal(await status(dual.v6, await withList('127.0.0.0/8')), 401);
        assert.equal(await status(dual.v6, await withList('2001:db8::/32')), 401);
      });

      it('an IPv4-mapped client (::ffff:127.0.0.1) matches 127.0.0.1 entries', async () => {
        for (const sources of [['127.0.0.1'], ['127.0.0.0/8'], ['0.0.0.0/0']]) {
          assert.equal(await status(dual.v4, await withList(...sources)), 200, sources.join(', '));
        }
        assert.equal(await status(dual.v4, await withList('10.0.0.0/8')), 401);
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
        assert.equal(await status(dual.v4, key), 401);
        assert.equal(await status(server, key), 401);
        const both = await withList('127.0.0.1', '::1');
        assert.deepEqual([await status(dual.v6, both), await status(dual.v4, both), await status(server, both)], [200, 200, 200]);
      });
    });

    it('never stored or logged any issued key ID or secret', async () => {
      await assertNoCredentialsStored(server, api.issued);
    });
  });
}
