import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createClient, OrgplaneApiError } from '@orgplane/client';
import { testBackends } from '../helpers/backends.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

for (const backend of testBackends()) {
  describe(`typed client (@orgplane/client) [${backend}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ backend, rateLimit: { points: 2, windowSeconds: 1 } });
    });
    after(() => server.close());

    it('makes typed calls with Basic auth', async () => {
      const client = createClient({ baseUrl: server.url, ...server.admin });
      const { data } = await client.GET('/v1/organizations/{organizationId}', { params: { path: { organizationId: server.organizationId } } });
      assert.equal(data?.result.id, server.organizationId);
      const patched = await client.PATCH('/v1/organizations/{organizationId}', { params: { path: { organizationId: server.organizationId } }, body: { name: 'Typed' } });
      assert.equal(patched.data?.result.name, 'Typed');
    });

    it('surfaces the error message, status and requestId', async () => {
      const client = createClient({ baseUrl: server.url, keyId: 'nope', keySecret: 'nope' });
      await assert.rejects(client.GET('/v1/organizations'), (err: unknown) => {
        assert.ok(err instanceof OrgplaneApiError);
        assert.equal(err.status, 401);
        assert.match(err.message, /Authentication failed/);
        assert.match(err.requestId ?? '', UUID_V4);
        return true;
      });
    });

    it('retries 429s after X-RateLimit-Reset, and gives up after maxRetries', async () => {
      const other = await server.bootstrap('Retry');
      const client = createClient({ baseUrl: server.url, keyId: other.keyId, keySecret: other.keySecret });
      const started = Date.now();
      const results = [];
      for (let i = 0; i < 3; i++) results.push(await client.GET('/v1/organizations'));
      assert.ok(results.every((r) => r.response.status === 200));
      assert.ok(Date.now() - started >= 900, 'the third call waited for the window to reset');

      const impatient = createClient({ baseUrl: server.url, keyId: other.keyId, keySecret: other.keySecret, maxRetries: 0 });
      await impatient.GET('/v1/organizations').catch(() => undefined);
      await impatient.GET('/v1/organizations').catch(() => undefined);
      await assert.rejects(impatient.GET('/v1/organizations'), (err: unknown) => err instanceof OrgplaneApiError && err.status === 429);
    });
  });

  describe(`typed client and the failed-authentication limit [${backend}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ backend, failedAuthLimit: { points: 1, windowSeconds: 60 } });
    });
    after(() => server.close());

    it('does not wait out an address\'s failed-authentication window: its 429 (no X-RateLimit-Reset) surfaces at once', async () => {
      const wrong = createClient({ baseUrl: server.url, keyId: 'nope', keySecret: 'nope' });
      await assert.rejects(wrong.GET('/v1/organizations'), (err: unknown) => err instanceof OrgplaneApiError && err.status === 401);
      const started = Date.now();
      await assert.rejects(wrong.GET('/v1/organizations'), (err: unknown) => {
        assert.ok(err instanceof OrgplaneApiError);
        assert.equal(err.status, 429);
        assert.match(err.requestId ?? '', UUID_V4);
        return true;
      });
      assert.ok(Date.now() - started < 1000, `the client waited ${Date.now() - started} ms`);
    });
  });
}
