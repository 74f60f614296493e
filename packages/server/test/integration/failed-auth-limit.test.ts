import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError, DEFAULT_FAILED_AUTH_LIMIT, loadServerConfig } from '../../src/config.js';
import { testBackends } from '../helpers/backends.js';
import { startServe, stopAllServers } from '../helpers/cli.js';
import { createApiKey } from '../helpers/keys.js';
import { basic, request, startTestServer, type ApiResponse, type Credentials, type TestServer } from '../helpers/server.js';
import { sleep } from '../helpers/wait.js';

// Issue 16: every 401 spends a per-address budget (N per window); past it the
// address gets 429 with Retry-After, before its credentials are even looked
// at, until the window ends. Another address, valid keys used from it
// included, is not affected.

const LIMIT = { points: 6, windowSeconds: 2 };

/** One request over a socket bound to `localAddress` (any 127.x address is this machine's loopback). */
function requestFrom(localAddress: string, server: { url: string }, path: string, auth?: string, headers: Record<string, string> = {}): Promise<ApiResponse> {
  const url = new URL(path, server.url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'GET', localAddress, agent: false, headers: { ...headers, ...(auth ? { authorization: auth } : {}) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => {
          const fetchHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') fetchHeaders.set(name, value);
          resolve({ status: res.statusCode!, headers: fetchHeaders, body: text ? JSON.parse(text) : undefined, text });
        });
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end();
  });
}

const wrong = (key: Credentials): string => basic({ keyId: key.keyId, keySecret: `${key.keySecret}x` });

function assert429(res: ApiResponse): number {
  assert.equal(res.status, 429, res.text);
  assert.deepEqual(Object.keys(res.body).sort(), ['error', 'requestId', 'status']);
  assert.equal(res.body.status, 429);
  assert.match(res.body.error, /failed authentications from this address/);
  const retryAfter = Number(res.headers.get('retry-after'));
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= LIMIT.windowSeconds, `Retry-After ${res.headers.get('retry-after')}`);
  assert.equal(res.headers.get('www-authenticate'), null);
  return retryAfter;
}

for (const backend of testBackends()) {
  describe(`failed-authentication limit per client address [${backend}]`, () => {
    let server: TestServer;
    let verifications = 0;

    before(async () => {
      server = await startTestServer({ backend, failedAuthLimit: LIMIT, trustProxy: ['127.0.0.3'] });
      // Counts what reaches key verification (hashing and look-up), to show what a refused address costs.
      const keys = server.domain.keys;
      const verify = keys.verify.bind(keys);
      keys.verify = (...args) => {
        verifications += 1;
        return verify(...args);
      };
    });
    after(() => server.close());

    it('turns the 401s of one address into 429 after N, before the key is looked up; a valid key from another address keeps working; the address may try again after the window', async () => {
      const disabled = await createApiKey(server, { state: 'disabled' });
      const outside = await createApiKey(server, { ipAccessList: [{ source: '10.0.0.0/8' }] });
      // Every kind of 401 spends the budget: none, malformed, unknown key, wrong secret, disabled, outside the allow list.
      const failures = [undefined, 'Bearer x', basic({ keyId: 'AAAAAAAAAAAAAAAAAAAA', keySecret: 's' }), wrong(server.admin), basic(disabled), basic(outside)];
      assert.equal(failures.length, LIMIT.points);
      for (const auth of failures) assert.equal((await requestFrom('127.0.0.1', server, '/v1/organizations', auth)).status, 401);
      const before = verifications;
      const refused = await requestFrom('127.0.0.1', server, '/v1/organizations', wrong(server.admin));
      const retryAfter = assert429(refused);
      // The valid key from the refused address is refused too: the address is, whoever it claims to be.
      assert429(await requestFrom('127.0.0.1', server, `/v1/organizations/${server.organizationId}`, basic(server.admin)));
      assert.equal(verifications, before, 'a refused address still reached key verification');
      assert.ok(server.logs.some((line) => /failed-authentication limit reached/.test(line) && line.includes('"address":"127.0.0.1"')), 'no log line for the operator');

      // Another address: the valid key keeps working, its own failures have their own budget.
      for (let i = 0; i < 3; i++) assert.equal((await requestFrom('127.0.0.2', server, `/v1/organizations/${server.organizationId}`, basic(server.admin))).status, 200);
      assert.equal((await requestFrom('127.0.0.2', server, '/v1/organizations', wrong(server.admin))).status, 401);
      assert.equal((await requestFrom('127.0.0.2', server, '/v1/organizations', basic(server.admin))).status, 200);

      await sleep(retryAfter * 1000 + 100);
      assert.equal((await requestFrom('127.0.0.1', server, '/v1/organizations', basic(server.admin))).status, 200, 'still refused after Retry-After');
      assert.equal((await requestFrom('127.0.0.1', server, '/v1/organizations', wrong(server.admin))).status, 401, 'a new window begins with a new budget');
    });

    it('successful requests neither spend nor refill the budget', async () => {
      const address = '127.0.0.4';
      for (let i = 0; i < LIMIT.points - 1; i++) {
        assert.equal((await requestFrom(address, server, '/v1/organizations', wrong(server.admin))).status, 401);
        assert.equal((await requestFrom(address, server, '/v1/organizations', basic(server.admin))).status, 200);
      }
      assert.equal((await requestFrom(address, server, '/v1/organizations', wrong(server.admin))).status, 401);
      assert429(await requestFrom(address, server, '/v1/organizations', basic(server.admin)));
    });

    it('counts a trusted proxy’s X-Forwarded-For client, an IPv6 client by its /64', async () => {
      const via = (forwardedFor: string, auth: string) => requestFrom('127.0.0.3', server, '/v1/organizations', auth, { 'x-forwarded-for': forwardedFor });
      for (let i = 1; i <= LIMIT.points; i++) assert.equal((await via(`2001:db8:0:7::${i}`, wrong(server.admin))).status, 401);
      assert429(await via('2001:db8:0:7::ffff', basic(server.admin)));
      assert.equal((await via('2001:db8:0:8::1', basic(server.admin))).status, 200, 'another /64 is another client');
      assert.equal((await via('203.0.113.9', basic(server.admin))).status, 200, 'the proxy itself is not the client');
      assert.equal((await requestFrom('127.0.0.2', server, '/v1/organizations', basic(server.admin))).status, 200);
    });

    it('leaves public routes alone', async () => {
      for (let i = 0; i <= LIMIT.points; i++) await requestFrom('127.0.0.5', server, '/v1/organizations', wrong(server.admin));
      assert429(await requestFrom('127.0.0.5', server, '/v1/organizations', basic(server.admin)));
      assert.equal((await requestFrom('127.0.0.5', server, '/health')).status, 200);
    });

    it('never logs the credentials it refused', () => {
      const text = server.logs.join('\n');
      for (const secret of [server.admin.keyId, server.admin.keySecret, wrong(server.admin), basic(server.admin)]) assert.equal(text.includes(secret), false);
    });
  });
}

describe('failed-authentication limit configuration', () => {
  it('is 20 per 60 s by default, set with --failed-auth-limit or ORGPLANE_FAILED_AUTH_LIMIT, off with "off"', () => {
    assert.deepEqual(DEFAULT_FAILED_AUTH_LIMIT, { points: 20, windowSeconds: 60 });
    assert.deepEqual(loadServerConfig({}, {}).failedAuthLimit, DEFAULT_FAILED_AUTH_LIMIT);
    assert.deepEqual(loadServerConfig({}, { ORGPLANE_FAILED_AUTH_LIMIT: '5/30s' }).failedAuthLimit, { points: 5, windowSeconds: 30 });
    assert.deepEqual(loadServerConfig({ failedAuthLimit: '7/9s' }, { ORGPLANE_FAILED_AUTH_LIMIT: '5/30s' }).failedAuthLimit, { points: 7, windowSeconds: 9 });
    assert.equal(loadServerConfig({ failedAuthLimit: 'off' }, {}).failedAuthLimit, null);
    assert.throws(() => loadServerConfig({ failedAuthLimit: '0/10s' }, {}), (err: Error) => err instanceof ConfigError && /failed-authentication limit "0\/10s"/.test(err.message));
  });

  describe('orgplane serve', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'orgplane-failed-auth-'));
    });
    after(async () => {
      await stopAllServers();
      rmSync(dir, { recursive: true, force: true });
    });

    it('has it on by default: the 21st failed authentication from one address within a minute is a 429', async () => {
      const serve = await startServe(['--database', `sqlite:${join(dir, 'orgplane.db')}`, '--rate-limit', 'off']);
      const unknown = basic({ keyId: 'AAAAAAAAAAAAAAAAAAAA', keySecret: 'guess' });
      for (let i = 0; i < DEFAULT_FAILED_AUTH_LIMIT.points; i++) assert.equal((await request(serve, 'GET', '/v1/organizations', { auth: unknown })).status, 401);
      const refused = await request(serve, 'GET', '/v1/organizations', { auth: unknown });
      assert.equal(refused.status, 429, refused.text);
      assert.ok(Number(refused.headers.get('retry-after')) >= 1);
      await serve.stop();
    });
  });
});
