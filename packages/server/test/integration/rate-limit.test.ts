import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testBackends } from '../helpers/backends.js';
import { request, startTestServer, type TestServer } from '../helpers/server.js';

for (const backend of testBackends()) {
  describe(`rate limit [${backend}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ backend, rateLimit: { points: 3, windowSeconds: 2 } });
    });
    after(() => server.close());

    it('allows N requests per window per key, then 429 with the vendor headers, then recovers', async () => {
      const path = `/v1/organizations/${server.organizationId}`;
      const ok = [];
      for (let i = 0; i < 3; i++) ok.push(await request(server, 'GET', path, { auth: server.admin }));
      assert.deepEqual(ok.map((r) => r.status), [200, 200, 200]);
      assert.deepEqual(ok.map((r) => r.headers.get('x-ratelimit-remaining')), ['2', '1', '0']);
      assert.equal(ok[0]!.headers.get('x-ratelimit-limit'), '3');

      const limited = await request(server, 'GET', path, { auth: server.admin });
      assert.equal(limited.status, 429);
      assert.equal(limited.body.status, 429);
      assert.match(limited.body.error, /Rate limit exceeded/);
      assert.equal(limited.headers.get('x-ratelimit-limit'), '3');
      assert.equal(limited.headers.get('x-ratelimit-remaining'), '0');
      const reset = Number(limited.headers.get('x-ratelimit-reset'));
      assert.ok(reset >= 1 && reset <= 2, `reset ${reset}`);
      assert.equal(limited.headers.get('retry-after'), String(reset));

      // The budget is per key: another key is unaffected.
      const other = await server.bootstrap('Other', 'admin');
      assert.equal((await request(server, 'GET', '/v1/organizations', { auth: other })).status, 200);

      await new Promise((resolve) => setTimeout(resolve, reset * 1000 + 100));
      assert.equal((await request(server, 'GET', path, { auth: server.admin })).status, 200);
    });

    it('does not spend budget on unauthenticated requests', async () => {
      const fresh = await server.bootstrap('Fresh', 'admin');
      for (let i = 0; i < 5; i++) assert.equal((await request(server, 'GET', '/v1/organizations', { auth: 'Basic Zm9vOmJhcg==' })).status, 401);
      assert.equal((await request(server, 'GET', '/v1/organizations', { auth: fresh })).headers.get('x-ratelimit-remaining'), '2');
    });
  });
}
