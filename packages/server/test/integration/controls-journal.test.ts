import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testBackends } from '../helpers/backends.js';
import { sha256Base64 } from '../helpers/hash-data.js';
import { controlsSuite } from '../helpers/controls.js';
import { createApiKey } from '../helpers/keys.js';
import { basic, request, startTestServer, type Credentials, type TestServer } from '../helpers/server.js';

const journal = async (server: TestServer, query = '') => {
  const res = await request(server, 'GET', `/_orgplane/requests${query}`);
  assert.equal(res.status, 200, res.text);
  return res;
};

for (const backend of testBackends()) {
  describe(`request journal [${backend}]`, () => {
    const suite = controlsSuite({ backend });

    it('records method, path with query, route, status, duration, requestId, key suffix and body, newest first', async () => {
      const { server, orgPath } = suite;
      const before = Date.now();
      const patch = await request(server, 'PATCH', orgPath, { auth: server.admin, body: { name: 'Journaled', enableCoreDumps: false } });
      assert.equal(patch.status, 200);
      const list = await request(server, 'GET', `${orgPath}/activities?from_date=2020-01-01`, { auth: server.admin });
      const missing = await request(server, 'GET', '/v1/nowhere?x=1');
      const anonymous = await request(server, 'GET', '/v1/organizations');

      const { body } = await journal(server);
      const entries = body.result;
      assert.equal(entries.length, 4, JSON.stringify(entries));
      const [e401, e404, eList, ePatch] = entries;
      assert.deepEqual(Object.keys(ePatch).sort(), ['body', 'durationMs', 'keySuffix', 'method', 'path', 'requestId', 'route', 'status', 'time']);
      assert.equal(ePatch.method, 'PATCH');
      assert.equal(ePatch.path, orgPath);
      assert.equal(ePatch.route, '/v1/organizations/{organizationId}');
      assert.equal(ePatch.status, 200);
      assert.equal(ePatch.requestId, patch.body.requestId);
      assert.equal(ePatch.keySuffix, server.admin.keyId.slice(-4));
      assert.deepEqual(ePatch.body, { name: 'Journaled', enableCoreDumps: false });
      assert.ok(typeof ePatch.durationMs === 'number' && ePatch.durationMs >= 0, `durationMs ${ePatch.durationMs}`);
      assert.ok(Date.parse(ePatch.time) >= before - 5 && Date.parse(ePatch.time) <= Date.now(), `time ${ePatch.time}`);

      assert.equal(eList.path, `${orgPath}/activities?from_date=2020-01-01`);
      assert.equal(eList.route, '/v1/organizations/{organizationId}/activities');
      assert.equal(eList.requestId, list.body.requestId);
      assert.equal('body' in eList, false);

      assert.deepEqual([e404.route, e404.status, e404.path, e404.requestId], [null, 404, '/v1/nowhere?x=1', missing.body.requestId]);
      assert.deepEqual([e401.status, 'keySuffix' in e401, e401.requestId], [401, false, anonymous.body.requestId]);
    });

    it('notes the faults that acted, and a dropped connection with no status', async () => {
      const { server, orgPath } = suite;
      await request(server, 'POST', '/_orgplane/faults', {
        body: { rules: [{ route: '/v1/organizations', status: 503, times: 1 }, { route: '/v1/organizations/{organizationId}', kind: 'reset-connection', times: 1 }] },
      });
      const faulted = await request(server, 'GET', '/v1/organizations', { auth: server.admin });
      assert.equal(faulted.status, 503);
      await assert.rejects(fetch(`${server.url}${orgPath}`));
      await request(server, 'GET', orgPath, { auth: server.admin });
      // The abort is recorded when the server sees the socket close: wait for it.
      let entries: any[] = [];
      for (let i = 0; i < 50 && entries.length < 3; i++) {
        entries = (await journal(server)).body.result;
        if (entries.length < 3) await new Promise((r) => setTimeout(r, 20));
      }
      const byPath = entries.map((e) => [e.path, e.status, e.fault ?? null]);
      assert.deepEqual(
        byPath.sort(),
        [
          ['/v1/organizations', 503, 'status'],
          [orgPath, 200, null],
          [orgPath, null, 'reset-connection'],
        ].sort(),
      );
      const e503 = entries.find((e) => e.status === 503);
      assert.equal(e503.requestId, faulted.body.requestId);
      assert.equal('keySuffix' in e503, false, 'the fault answered before authentication');
    });

    it('never holds a secret, key ID, hash or Authorization value, and the log holds no body', async () => {
      const { server, orgPath } = suite;
      const created: Credentials[] = [server.admin];
      for (let i = 0; i < 2; i++) created.push(await createApiKey(server, { name: `journal-marker-${i}`, roles: ['developer'] }));
      const clientMade = { keyId: 'JournalClientKeyId9Zq4', keySecret: 'journal-client-secret-Xy7Pq2Lm9Rt4Vb8Nc1' };
      const hashData = { keyIdHash: sha256Base64(clientMade.keyId), keyIdSuffix: clientMade.keyId.slice(-4), keySecretHash: sha256Base64(clientMade.keySecret) };
      const withHashes = await request(server, 'POST', `${orgPath}/keys`, { auth: server.admin, body: { name: 'journal-marker-hash', roles: ['admin'], hashData } });
      assert.equal(withHashes.status, 200, withHashes.text);
      created.push(clientMade);
      // Refused bodies are journaled too: secrets in fields the schema does not know, at any depth.
      const refused = await request(server, 'PATCH', orgPath, {
        auth: clientMade,
        body: { name: 'journal-marker-refused', keySecret: created[1]!.keySecret, nested: [{ keyId: created[1]!.keyId, hashData }], KeySecretHash: hashData.keySecretHash },
      });
      assert.equal(refused.status, 400);
      for (const key of created) await request(server, 'GET', orgPath, { auth: key });
      await request(server, 'GET', orgPath, { auth: { keyId: created[2]!.keyId, keySecret: 'wrong-secret' } });

      const { text, body } = await journal(server, '?limit=1000');
      assert.equal(body.result.length, 9, 'every API request above');
      assert.ok(text.includes('journal-marker-refused') && text.includes('journal-marker-hash'), 'the bodies are there');
      assert.ok(text.includes('[redacted]'), 'secrets are marked as redacted');
      const secrets = created.flatMap((key) => [key.keyId, key.keySecret, basic(key), basic(key).slice('Basic '.length), sha256Base64(key.keyId), sha256Base64(key.keySecret)]);
      for (const secret of secrets) assert.equal(text.includes(secret), false, `journal holds ${secret.slice(0, 6)}…`);
      const refusedEntry = body.result.find((e: any) => e.body?.name === 'journal-marker-refused');
      assert.deepEqual(refusedEntry.body, { name: 'journal-marker-refused', keySecret: '[redacted]', nested: [{ keyId: '[redacted]', hashData: '[redacted]' }], KeySecretHash: '[redacted]' });
      assert.equal(body.result.find((e: any) => e.body?.name === 'journal-marker-hash').body.hashData, '[redacted]');

      const logs = server.logs.join('\n');
      assert.equal(logs.includes('journal-marker'), false, 'no journal body in the log');
      for (const secret of secrets) assert.equal(logs.includes(secret), false);
    });

    it('honours limit, refuses a bad one, leaves out the controls, and DELETE empties it', async () => {
      const { server } = suite;
      for (let i = 0; i < 5; i++) await request(server, 'GET', `/v1/organizations?n=${i}`, { auth: server.admin });
      await request(server, 'GET', '/_orgplane/clock');
      await request(server, 'GET', '/_orgplane/nowhere');
      const two = (await journal(server, '?limit=2')).body.result;
      assert.deepEqual(two.map((e: any) => e.path), ['/v1/organizations?n=4', '/v1/organizations?n=3']);
      const all = (await journal(server)).body.result;
      assert.deepEqual(all.map((e: any) => e.path), [4, 3, 2, 1, 0].map((i) => `/v1/organizations?n=${i}`), 'no control request is journaled');
      for (const limit of ['0', '-1', 'abc', '1.5', '1001', '']) {
        const res = await request(server, 'GET', `/_orgplane/requests?limit=${limit}`);
        assert.equal(res.status, 400, `limit=${limit}`);
        assert.match(res.body.error, /'limit'/);
      }
      assert.equal((await request(server, 'GET', '/_orgplane/requests?limt=2')).status, 400);
      assert.equal((await journal(server, '?limit=1000')).body.result.length, 5);
      assert.equal((await request(server, 'DELETE', '/_orgplane/requests')).status, 200);
      assert.deepEqual((await journal(server)).body.result, []);
    });
  });
}

describe('request journal: bounds, the token, and serving without --controls', () => {
  it('keeps only the newest entries of a small ring, and caps its limit at the ring size', async () => {
    const server = await startTestServer({ controls: { journalSize: 5 } });
    try {
      for (let i = 0; i < 12; i++) await request(server, 'GET', `/v1/organizations?n=${i}`, { auth: server.admin });
      const entries = (await journal(server, '?limit=5')).body.result;
      assert.deepEqual(entries.map((e: any) => e.path), [11, 10, 9, 8, 7].map((i) => `/v1/organizations?n=${i}`));
      assert.equal((await journal(server)).body.result.length, 5, 'the default limit is bounded by the ring');
      assert.equal((await request(server, 'GET', '/_orgplane/requests?limit=6')).status, 400);
    } finally {
      await server.close();
    }
  });

  it('cuts a body over 64 Ki characters of JSON and says so', async () => {
    const server = await startTestServer({ controls: {} });
    try {
      const name = 'n'.repeat(70_000);
      const res = await request(server, 'PATCH', `/v1/organizations/${server.organizationId}`, { auth: server.admin, body: { name } });
      assert.equal(res.status, 400);
      const [entry] = (await journal(server)).body.result;
      assert.equal(entry.bodyTruncated, true);
      assert.equal(typeof entry.body, 'string');
      assert.equal(entry.body.length, 64 * 1024);
      assert.ok(entry.body.startsWith('{"name":"nnn'), 'the start of the JSON text');
    } finally {
      await server.close();
    }
  });

  it('needs the controls token when one is set', async () => {
    const server = await startTestServer({ controls: { token: 'journal-token-1234567890' } });
    try {
      await request(server, 'GET', '/v1/organizations', { auth: server.admin });
      for (const method of ['GET', 'DELETE']) assert.equal((await request(server, method, '/_orgplane/requests')).status, 401);
      const res = await request(server, 'GET', '/_orgplane/requests', { headers: { authorization: 'Bearer journal-token-1234567890' } });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.result.map((e: any) => [e.path, e.status]), [['/v1/organizations', 200]], 'refused control requests are not journaled either');
      assert.equal(res.text.includes('journal-token-1234567890'), false);
    } finally {
      await server.close();
    }
  });

  it('is not there without --controls', async () => {
    const server = await startTestServer();
    try {
      await request(server, 'GET', '/v1/organizations', { auth: server.admin });
      for (const method of ['GET', 'DELETE']) assert.equal((await request(server, method, '/_orgplane/requests')).status, 404);
    } finally {
      await server.close();
    }
  });
});
