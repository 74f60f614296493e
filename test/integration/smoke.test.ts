import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request, startTestServer, type TestServer } from '../helpers/server.js';

describe('smoke', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('lists the key organization', async () => {
    const res = await request(server, 'GET', '/v1/organizations', { auth: server.admin });
    assert.equal(res.status, 200);
    assert.equal(res.body.result[0].id, server.organizationId);
  });
});
