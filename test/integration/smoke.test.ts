import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testBackends } from '../helpers/backends.js';
import { request, startTestServer, type TestServer } from '../helpers/server.js';

for (const backend of testBackends()) {
  describe(`smoke [${backend}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ backend });
    });
    after(() => server.close());

    it('lists the key organization', async () => {
      const res = await request(server, 'GET', '/v1/organizations', { auth: server.admin });
      assert.equal(res.status, 200);
      assert.equal(res.body.result[0].id, server.organizationId);
    });
  });
}
