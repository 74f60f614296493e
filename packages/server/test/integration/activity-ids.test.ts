import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Clock } from '../../src/clock.js';
import { testBackends } from '../helpers/backends.js';
import { request, startTestServer, type TestServer } from '../helpers/server.js';

/** The millisecond timestamp a UUIDv7 carries in its first 48 bits. */
function uuidv7Millis(id: string): number {
  return parseInt(id.replace(/-/g, '').slice(0, 12), 16);
}

for (const backend of testBackends()) {
  describe(`activity IDs [${backend}]`, () => {
    let server: TestServer;
    let base: string;
    // A clock far from the wall clock, and frozen: IDs must still follow it and stay in order.
    const clock: Clock = { now: () => new Date('2031-05-06T07:08:09.123Z') };

    before(async () => {
      server = await startTestServer({ backend, clock });
      base = `/v1/organizations/${server.organizationId}`;
      for (const name of ['one', 'two', 'three']) assert.equal((await request(server, 'PATCH', base, { auth: server.admin, body: { name } })).status, 200);
    });
    after(() => server.close());

    it('are UUIDv7s whose time is the activity createdAt from the injected clock, in order within one millisecond', async () => {
      const { body } = await request(server, 'GET', `${base}/activities`, { auth: server.admin });
      const activities = body.result as { id: string; createdAt: string; type: string }[];
      assert.equal(activities.length, 5);
      for (const a of activities) {
        assert.match(a.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        assert.equal(a.createdAt, '2031-05-06T07:08:09.123Z');
        assert.equal(uuidv7Millis(a.id), Date.parse(a.createdAt));
      }
      // Newest first: same createdAt, so the IDs decide, and they count up in the order the activities were made.
      assert.deepEqual(activities.map((a) => a.type), ['organization_update_name', 'organization_update_name', 'organization_update_name', 'key_create', 'create_organization']);
    });

    it('match case-insensitively like every other ID', async () => {
      const { body } = await request(server, 'GET', `${base}/activities`, { auth: server.admin });
      const id = body.result[0].id as string;
      const upper = await request(server, 'GET', `${base.toUpperCase().replace('/V1/ORGANIZATIONS/', '/v1/organizations/')}/activities/${id.toUpperCase()}`, { auth: server.admin });
      assert.equal(upper.status, 200);
      assert.equal(upper.body.result.id, id);
    });

    it('answer 400 naming the path parameter when malformed, 404 when well-formed but unknown', async () => {
      for (const bad of ['not-a-uuid', '123', 'urn:uuid:0190a0a0-0000-7000-8000-000000000000']) {
        const res = await request(server, 'GET', `${base}/activities/${encodeURIComponent(bad)}`, { auth: server.admin });
        assert.equal(res.status, 400, bad);
        assert.match(res.body.error, /path parameter 'activityId'/);
      }
      const unknown = await request(server, 'GET', `${base}/activities/0190a0a0-0000-7000-8000-000000000000`, { auth: server.admin });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.error, 'Activity not found');
    });
  });
}
