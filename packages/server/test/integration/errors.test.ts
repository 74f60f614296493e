import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { testBackends } from '../helpers/backends.js';
import { request, startTestServer, type ApiResponse, type TestServer } from '../helpers/server.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function assertErrorEnvelope(res: ApiResponse, status: number, message?: RegExp): void {
  assert.equal(res.status, status, res.text);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  assert.deepEqual(Object.keys(res.body).sort(), ['error', 'requestId', 'status']);
  assert.equal(res.body.status, status);
  assert.match(res.body.requestId, UUID_V4);
  if (message) assert.match(res.body.error, message);
}

/** Sends raw bytes over TCP and resolves with everything the server answered before closing. */
function rawExchange(port: number, chunks: string[], gapMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (d) => (received += d));
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
    let i = 0;
    const next = () => {
      if (i < chunks.length && !socket.destroyed) socket.write(chunks[i++]!, () => setTimeout(next, gapMs));
    };
    next();
  });
}

for (const backend of testBackends()) {
  describe(`error envelopes [${backend}]`, () => {
    let server: TestServer;
    let path: string;
    before(async () => {
      server = await startTestServer({ backend, limits: { headersTimeoutMs: 500, requestTimeoutMs: 1000, maxConnections: 100 } });
      path = `/v1/organizations/${server.organizationId}`;
    });
    after(() => server.close());

    it('wraps success in {status, requestId, result} with a fresh requestId each time', async () => {
      const a = await request(server, 'GET', path, { auth: server.admin });
      const b = await request(server, 'GET', path, { auth: server.admin });
      assert.deepEqual(Object.keys(a.body).sort(), ['requestId', 'result', 'status']);
      assert.match(a.body.requestId, UUID_V4);
      assert.notEqual(a.body.requestId, b.body.requestId);
    });

    it('answers malformed JSON with 400', async () => {
      const res = await request(server, 'PATCH', path, { auth: server.admin, rawBody: '{"name":', headers: { 'content-type': 'application/json' } });
      assertErrorEnvelope(res, 400, /not valid JSON/);
    });

    it('answers unsupported content types with 415', async () => {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
        const res = await request(server, 'PATCH', path, { auth: server.admin, rawBody: 'name=x', headers: { 'content-type': type } });
        assertErrorEnvelope(res, 415, /content type/);
      }
    });

    it('answers unknown routes with 404', async () => {
      assertErrorEnvelope(await request(server, 'GET', '/v1/nothing-here', { auth: server.admin }), 404);
      assertErrorEnvelope(await request(server, 'GET', '/'), 404);
    });

    it('answers wrong methods with 405 and an Allow header', async () => {
      const res = await request(server, 'DELETE', path, { auth: server.admin });
      assertErrorEnvelope(res, 405);
      assert.equal(res.headers.get('allow'), 'GET, HEAD, PATCH');
      assertErrorEnvelope(await request(server, 'POST', '/v1/organizations'), 405);
    });

    it('answers paths with invalid percent-encoding in the envelope, without quoting them', async () => {
      for (const bad of ['/v1/organizations/%E0%A4%A', '/v1/organizations/%', '/v1/organizations/%zz', `${path}/keys/%C3`, '/%ED%A0%80', '/docs/%FF', '/health/%E0%A4%A', '/health;%E0']) {
        const res = await request(server, 'GET', bad, { auth: server.admin });
        assertErrorEnvelope(res, 400, /^Malformed URL/);
        assert.ok(!res.text.includes('%'), `the answer quotes the path: ${res.text}`);
        const head = await request(server, 'HEAD', bad, { auth: server.admin });
        assert.equal(head.status, 400);
        assert.equal(head.text, '');
      }
      const logged = server.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'request' && l.status === 400 && l.route === null);
      assert.ok(logged, 'router errors are logged like every request');
    });

    it('answers over-long path parameters like any malformed one: 400 naming it, or 404 for a path that does not exist', async () => {
      for (const length of [101, 1000, 8000]) {
        const long = 'a'.repeat(length);
        assertErrorEnvelope(await request(server, 'GET', `/v1/organizations/${long}`, { auth: server.admin }), 400, /^Invalid path parameter 'organizationId'/);
        assertErrorEnvelope(await request(server, 'GET', `${path}/keys/${long}`, { auth: server.admin }), 400, /^Invalid path parameter 'keyId'/);
        assertErrorEnvelope(await request(server, 'GET', `${path}/activities/${encodeURIComponent('é'.repeat(Math.min(length, 1000)))}`, { auth: server.admin }), 400, /^Invalid path parameter 'activityId'/);
        assertErrorEnvelope(await request(server, 'GET', `/v1/organizations/${long}/nothing`, { auth: server.admin }), 404);
      }
      // Past Node's limit on the request line and headers: still the envelope.
      assertErrorEnvelope(await request(server, 'GET', `/v1/organizations/${'a'.repeat(20_000)}`, { auth: server.admin }), 431);
    });

    it('answers odd paths and queries in the envelope', async () => {
      for (const odd of ['//v1/organizations', '/v1//organizations', `${path}/`, '/v1/organizations;x', '/v1/organizations/%2e%2e/x']) {
        assertErrorEnvelope(await request(server, 'GET', odd, { auth: server.admin }), 404);
      }
      for (const query of ['?from_date=%E0%A4%A', '?%zz=1', '?from_date=%', '?from_date=%00', '?=&&', '?from_date']) {
        assertErrorEnvelope(await request(server, 'GET', `${path}/activities${query}`, { auth: server.admin }), 400);
      }
      assertErrorEnvelope(await request(server, 'GET', `${path}/activities/%00`, { auth: server.admin }), 400, /activityId/);
    });

    it('quotes an unknown path only percent-encoded and cut short', async () => {
      const { port } = new URL(server.url);
      const answer = await rawExchange(Number(port), [`GET /v1/<script>alert("x")</script>?q=<b> HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`], 0);
      const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
      assert.equal(body.error, 'No route GET /v1/%3Cscript%3Ealert(%22x%22)%3C/script%3E');
      const long = await request(server, 'GET', `/v1/${'b'.repeat(5000)}`, { auth: server.admin });
      assertErrorEnvelope(long, 404);
      assert.ok(long.body.error.length < 300, `${long.body.error.length} characters`);
    });

    it('answers CONNECT in the envelope instead of dropping the connection', async () => {
      const { port } = new URL(server.url);
      for (const target of ['127.0.0.1:443', '/v1/organizations']) {
        const answer = await rawExchange(Number(port), [`CONNECT ${target} HTTP/1.1\r\nHost: x\r\n\r\n`], 0);
        assert.match(answer, /^HTTP\/1\.1 400 /);
        const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
        assert.equal(body.status, 400);
        assert.match(body.requestId, UUID_V4);
        assert.match(body.error, /CONNECT/);
      }
    });

    it('answers paths the docs UI refuses with the 404 envelope', async () => {
      for (const docsPath of ['/docs/static/%00', '/docs/static/..%2f..%2fpackage.json']) {
        assertErrorEnvelope(await request(server, 'GET', docsPath), 404);
      }
    });

    it('answers bodies over 1 MiB with 413, changing nothing', async () => {
      const before = await request(server, 'GET', path, { auth: server.admin });
      const body = JSON.stringify({ name: 'big', privateEndpoints: { add: [{ id: 'x', cloudProvider: 'aws', region: 'us-east-1', description: 'd'.repeat(1.1 * 1024 * 1024) }] } });
      const res = await request(server, 'PATCH', path, { auth: server.admin, rawBody: body, headers: { 'content-type': 'application/json' } });
      assertErrorEnvelope(res, 413, /1 MiB/);
      assert.deepEqual((await request(server, 'GET', path, { auth: server.admin })).body.result, before.body.result);
    });

    it('answers unauthenticated requests before reading their body', async () => {
      const res = await request(server, 'PATCH', path, { rawBody: '{bad json', headers: { 'content-type': 'application/json' } });
      assertErrorEnvelope(res, 401);
    });

    it('times out a client that stalls mid-body with a 408 envelope, and keeps serving others', async () => {
      const { port } = new URL(server.url);
      const started = Date.now();
      const auth = `Basic ${Buffer.from(`${server.admin.keyId}:${server.admin.keySecret}`).toString('base64')}`;
      const stalled = rawExchange(Number(port), [`PATCH ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":`], 0);
      // Meanwhile a normal client is served.
      assert.equal((await request(server, 'GET', path, { auth: server.admin })).status, 200);
      const answer = await stalled;
      const elapsed = Date.now() - started;
      assert.match(answer, /^HTTP\/1\.1 408/);
      const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
      assert.equal(body.status, 408);
      assert.match(body.requestId, UUID_V4);
      assert.ok(elapsed < 3500, `cut off after ${elapsed} ms`);
    });

    it('times out a client that sends its headers byte by byte', async () => {
      const { port } = new URL(server.url);
      const started = Date.now();
      const chunks = `GET ${path} HTTP/1.1\r\nHost: localhost\r\nX-Slow: ${'a'.repeat(200)}\r\n\r\n`.split('');
      const answer = await rawExchange(Number(port), chunks, 20);
      const elapsed = Date.now() - started;
      assert.match(answer, /^HTTP\/1\.1 408/);
      assert.ok(elapsed < 3000, `cut off after ${elapsed} ms`);
    });
  });
}
