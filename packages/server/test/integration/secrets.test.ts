import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { createApiKey } from '../helpers/keys.js';
import { basic, request, startTestServer, type Credentials, type TestServer } from '../helpers/server.js';

// SQLite only: the check scans the database file's bytes.
describe('secrets never leak into the database file or the logs', () => {
  let server: TestServer;
  const issued: Credentials[] = [];
  before(async () => {
    server = await startTestServer({ accessLog: true });
    issued.push(server.admin);
    for (let i = 0; i < 3; i++) issued.push(await createApiKey(server, { roles: ['developer'] }));
    const path = `/v1/organizations/${server.organizationId}`;
    for (const key of issued) {
      await request(server, 'GET', path, { auth: key });
      await request(server, 'PATCH', path, { auth: key, body: { name: 'leak check' } });
      await request(server, 'GET', path, { auth: { keyId: key.keyId, keySecret: 'wrong' } });
    }
    await request(server, 'PATCH', path, { auth: server.admin, rawBody: `{"name":"${server.admin.keySecret}"`, headers: { 'content-type': 'application/json' } });
  });
  after(() => server.close());

  it('stores neither key IDs, secrets nor Authorization values in the database file', () => {
    const files = [server.databaseFile!, `${server.databaseFile}-wal`].filter(existsSync);
    const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
    assert.ok(bytes.length > 0);
    for (const key of issued) {
      for (const secret of [key.keyId, key.keySecret, basic(key).slice('Basic '.length)]) {
        assert.equal(bytes.indexOf(secret), -1, 'credential found in the database file');
      }
    }
  });

  it('writes one JSON line per request without credentials, headers or bodies', () => {
    const lines = server.logs.map((l) => JSON.parse(l));
    const requests = lines.filter((l) => l.msg === 'request');
    assert.ok(requests.length >= 13);
    const allowed = new Set(['level', 'time', 'msg', 'requestId', 'method', 'route', 'status', 'durationMs', 'keySuffix']);
    for (const line of requests) {
      assert.deepEqual(Object.keys(line).filter((k) => !allowed.has(k)), []);
      for (const field of ['requestId', 'method', 'route', 'status', 'durationMs']) assert.ok(field in line, field);
    }
    assert.equal(new Set(requests.map((l) => l.requestId)).size, requests.length, 'one line per request');
    // Routes are named as the OpenAPI document, the fault rules and the request journal name them.
    assert.ok(requests.some((l) => l.route === '/v1/organizations/{organizationId}'), JSON.stringify(requests.map((l) => l.route)));
    assert.ok(requests.every((l) => l.route === null || !l.route.includes(':')), 'no :param route in the log');
    const all = server.logs.join('\n');
    for (const key of issued) {
      assert.ok(!all.includes(key.keyId), 'key ID in logs');
      assert.ok(!all.includes(key.keySecret), 'secret in logs');
      assert.ok(!all.includes(basic(key).slice('Basic '.length)), 'Authorization value in logs');
    }
    assert.ok(!/authorization/i.test(all));
  });
});
