import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, testBackends } from '../helpers/backends.js';
import { runCli, startServe, stopAllServers } from '../helpers/cli.js';
import { createApiKey } from '../helpers/keys.js';
import { request, startTestServer, type TestServer } from '../helpers/server.js';

// A running emulator clock stops at the last storable instant: nothing is
// stamped with a year-10000 instant (which a snapshot could not seed again),
// writes are refused there, reads and the controls still answer.

const END = '9999-12-31T23:59:59.999Z';

for (const backend of testBackends()) {
  describe(`emulator clock at the end of the instant range [${backend}]`, () => {
    let server: TestServer;
    const orgPath = () => `/v1/organizations/${server.organizationId}`;

    before(async () => {
      server = await startTestServer({ backend, controls: {} });
    });
    after(() => server.close());

    it('stops there; writes are a 400 that says so, reads answer, and a snapshot seeds again', async () => {
      const set = await request(server, 'PUT', '/_orgplane/clock', { body: { now: '9999-12-31T23:59:58.000Z', frozen: false } });
      assert.equal(set.status, 200, set.text);
      // Still before the end: writes work.
      await createApiKey(server, { name: 'before the end' });
      const advanced = await request(server, 'POST', '/_orgplane/clock/advance', { body: { seconds: 1.5 } });
      assert.equal(advanced.status, 200, advanced.text);
      await new Promise((resolve) => setTimeout(resolve, 700));
      for (let i = 0; i < 2; i++) {
        const clock = await request(server, 'GET', '/_orgplane/clock');
        assert.deepEqual(clock.body.result, { now: END, frozen: false, real: false });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }

      const before = await request(server, 'GET', orgPath(), { auth: server.admin });
      const activitiesBefore = await request(server, 'GET', `${orgPath()}/activities`, { auth: server.admin });
      for (const [method, path, body] of [
        ['PATCH', orgPath(), { name: 'Too late' }],
        ['POST', `${orgPath()}/keys`, { name: 'too late', roles: ['admin'] }],
      ] as const) {
        const refused = await request(server, method, path, { auth: server.admin, body });
        assert.equal(refused.status, 400, refused.text);
        assert.match(refused.body.error, /the clock reached the end of the instant range/i);
      }
      // Reads answer, and nothing changed.
      assert.equal((await request(server, 'GET', orgPath(), { auth: server.admin })).text.replace(/"requestId":"[^"]+"/, ''), before.text.replace(/"requestId":"[^"]+"/, ''));
      const activitiesAfter = await request(server, 'GET', `${orgPath()}/activities`, { auth: server.admin });
      assert.deepEqual(activitiesAfter.body.result, activitiesBefore.body.result);

      // Nothing stored is past the end, so the snapshot seeds again (with the clock at the end, frozen).
      const snapshot = await request(server, 'GET', '/_orgplane/snapshot');
      assert.equal(snapshot.status, 200, snapshot.text);
      assert.ok(!snapshot.text.includes('+010000'), 'no year-10000 instant is stored');
      assert.equal((await request(server, 'POST', '/_orgplane/reset')).status, 200);
      assert.equal((await request(server, 'PUT', '/_orgplane/clock', { body: { now: END, frozen: true } })).status, 200);
      const seeded = await request(server, 'POST', '/_orgplane/seed', { body: snapshot.body.result ?? snapshot.body });
      assert.equal(seeded.status, 200, seeded.text);
    });
  });
}

describe('serve --clock without the controls, at the end of the instant range', () => {
  after(() => stopAllServers());

  it('stops there too, and refuses writes with the same 400', async () => {
    const database = await createTestDatabase('sqlite');
    try {
      assert.equal(runCli(['migrate', '--database', database.url]).status, 0);
      const boot = JSON.parse(runCli(['bootstrap', '--org-name', 'Late', '--json', '--database', database.url]).stdout);
      const auth = { keyId: boot.keyId, keySecret: boot.keySecret };
      const server = await startServe(['--database', database.url, '--rate-limit', 'off', '--clock', '9999-12-31T23:59:59.000Z']);
      const path = `/v1/organizations/${boot.organizationId}`;
      await new Promise((resolve) => setTimeout(resolve, 1200));
      const refused = await request(server, 'PATCH', path, { auth, body: { name: 'Too late' } });
      assert.equal(refused.status, 400, refused.text);
      assert.match(refused.body.error, /the clock reached the end of the instant range/i);
      const read = await request(server, 'GET', path, { auth });
      assert.equal(read.status, 200, read.text);
      assert.equal(read.body.result.name, 'Late');
    } finally {
      await stopAllServers();
      await database.drop();
    }
  });
});
