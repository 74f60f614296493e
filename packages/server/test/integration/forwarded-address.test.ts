import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { listActivities } from '../helpers/activities.js';
import { request, startTestServer, type TestServer } from '../helpers/server.js';

// Behind a trusted proxy the client address comes from X-Forwarded-For, but
// only a valid IP address from it is ever used or stored.
describe('X-Forwarded-For through a trusted proxy', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ trustProxy: ['127.0.0.1', '::1'] });
  });
  after(() => server.close());

  const renameWith = async (forwardedFor: string) => {
    const res = await request(server, 'PATCH', `/v1/organizations/${server.organizationId}`, {
      auth: server.admin,
      body: { name: `renamed via ${forwardedFor.length} ${Math.random()}` },
      headers: { 'x-forwarded-for': forwardedFor },
    });
    assert.equal(res.status, 200, res.text);
    const [newest] = await listActivities(server, server.organizationId, server.admin);
    return newest.actorIpAddress as string;
  };

  it('records a valid forwarded address as the actor IP', async () => {
    assert.equal(await renameWith('203.0.113.7'), '203.0.113.7');
    assert.equal(await renameWith('2001:db8::5'), '2001:db8::5');
  });

  for (const garbage of ['not-an-ip', '203.0.113', '<script>alert(1)</script>', 'x'.repeat(300)]) {
    it(`records the socket's address, not the garbage '${garbage.slice(0, 30)}'`, async () => {
      const recorded = await renameWith(garbage);
      assert.match(recorded, /^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
    });
  }
});
