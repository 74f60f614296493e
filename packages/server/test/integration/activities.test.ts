import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Clock } from '../../src/clock.js';
import { testBackends } from '../helpers/backends.js';
import { request, startTestServer, type TestServer } from '../helpers/server.js';

/** The vendor's Activity.type enum members orgplane may write. */
const VENDOR_TYPES = new Set(['create_organization', 'organization_update_name', 'key_create', 'key_delete', 'openapi_key_update']);

/** A clock the test moves by hand, so activities land at known instants. */
class ManualClock implements Clock {
  constructor(public current = new Date('2025-01-31T12:00:00.000Z')) {}
  now(): Date {
    return new Date(this.current);
  }
}

for (const backend of testBackends()) {
  describe(`activities [${backend}]`, () => {
    let server: TestServer;
    let base: string;
    const clock = new ManualClock();
    const list = (query = '') => request(server, 'GET', `${base}/activities${query}`, { auth: server.admin, headers: { 'user-agent': 'activity-test/1.0' } });
    const rename = (name: string, at: string) => {
      clock.current = new Date(at);
      return request(server, 'PATCH', base, { auth: server.admin, body: { name }, headers: { 'user-agent': 'activity-test/1.0' } });
    };

    before(async () => {
      server = await startTestServer({ backend, clock });
      base = `/v1/organizations/${server.organizationId}`;
      // Bootstrap wrote create_organization and key_create at 2025-01-31T12:00:00Z.
      await rename('Day one', '2025-02-01T00:00:00.000Z');
      await rename('Day one later', '2025-02-01T23:59:59.999Z');
      await rename('Day two', '2025-02-02T00:00:00.000Z');
      await rename('Day three', '2025-02-03T10:30:00.000Z');
    });
    after(() => server.close());

    it('records bootstrap as the system actor and each rename as the api actor, newest first', async () => {
      const res = await list();
      assert.equal(res.status, 200);
      const types = res.body.result.map((a: { type: string }) => a.type);
      assert.deepEqual(types, ['organization_update_name', 'organization_update_name', 'organization_update_name', 'organization_update_name', 'key_create', 'create_organization']);
      const created = res.body.result.map((a: { createdAt: string }) => a.createdAt);
      assert.deepEqual([...created].sort().reverse(), created);
      for (const activity of res.body.result) {
        assert.ok(VENDOR_TYPES.has(activity.type));
        assert.equal(activity.organizationId, server.organizationId);
        assert.ok(!('seq' in activity) && !('hash' in activity), 'chain fields never leak');
      }
      const system = res.body.result.at(-1);
      assert.equal(system.actorType, 'system');
      assert.equal(system.actorIpAddress, undefined);
      const api = res.body.result[0];
      assert.equal(api.actorType, 'api');
      assert.equal(api.actorIpAddress, '127.0.0.1');
      assert.equal(api.userAgent, 'activity-test/1.0');
      assert.match(api.actorDetails, /API key/);
      const keys = await request(server, 'GET', `${base}/keys`, { auth: server.admin });
      assert.equal(api.actorId, keys.body.result[0].id, 'actorId is the key UUID');
      assert.ok(!res.text.includes(server.admin.keyId), 'never the key ID credential');
      assert.equal(res.body.result[1].targetKeyId, undefined);
      assert.equal(res.body.result[4].targetKeyId, keys.body.result[0].id);
    });

    it('writes no activity for a PATCH that does not rename', async () => {
      const before = (await list()).body.result.length;
      await request(server, 'PATCH', base, { auth: server.admin, body: { name: 'Day three', enableCoreDumps: true } });
      await request(server, 'PATCH', base, { auth: server.admin, body: { privateEndpoints: { add: [{ id: 'e', cloudProvider: 'aws', region: 'eu-west-1' }] } } });
      assert.equal((await list()).body.result.length, before);
    });

    const windows: [string, string, string[]][] = [
      ['plain dates cover whole UTC days, inclusive', '?from_date=2025-02-01&to_date=2025-02-01', ['Day one later', 'Day one']],
      ['a date-time lower bound is inclusive', '?from_date=2025-02-02T00:00:00Z', ['Day three', 'Day two']],
      ['a date-time upper bound is inclusive', '?to_date=2025-02-01T23:59:59.999Z', ['Day one later', 'Day one', 'bootstrap', 'bootstrap']],
      ['offsets are honoured', '?from_date=2025-02-03T11:30:00%2B01:00&to_date=2025-02-03T11:30:00%2B01:00', ['Day three']],
      ['an empty window is an empty list', '?from_date=2030-01-01', []],
    ];
    for (const [label, query, expected] of windows) {
      it(`filters: ${label}`, async () => {
        const res = await list(query);
        assert.equal(res.status, 200, res.text);
        const all = (await list()).body.result;
        // Map each returned activity back to the rename that caused it, via its timestamp.
        const names: Record<string, string> = {
          '2025-02-01T00:00:00.000Z': 'Day one',
          '2025-02-01T23:59:59.999Z': 'Day one later',
          '2025-02-02T00:00:00.000Z': 'Day two',
          '2025-02-03T10:30:00.000Z': 'Day three',
          '2025-01-31T12:00:00.000Z': 'bootstrap',
        };
        assert.ok(all.length >= res.body.result.length);
        assert.deepEqual(res.body.result.map((a: { createdAt: string }) => names[a.createdAt]), expected);
      });
    }

    const invalid: [string, RegExp][] = [
      ['?from_date=yesterday', /from_date/],
      ['?to_date=2025-02-30', /to_date/],
      ['?from_date=2025-02-01T10:00:00', /from_date/],
      ['?from_date=2025-02-03&to_date=2025-02-01', /from_date must not be after to_date/],
      ['?since=2025-01-01', /since/],
      ['?from_date=2025-01-01&from_date=2025-01-02', /from_date/],
    ];
    for (const [query, message] of invalid) {
      it(`refuses ${query} with 400`, async () => {
        const res = await list(query);
        assert.equal(res.status, 400, res.text);
        assert.match(res.body.error, message);
      });
    }

    it('gets one activity, and 404s for unknown or foreign ones', async () => {
      const [first] = (await list()).body.result;
      const one = await request(server, 'GET', `${base}/activities/${first.id}`, { auth: server.admin });
      assert.equal(one.status, 200);
      assert.deepEqual(one.body.result, first);
      const unknown = await request(server, 'GET', `${base}/activities/01900000-0000-7000-8000-000000000000`, { auth: server.admin });
      assert.equal(unknown.status, 404);
      const other = await server.bootstrap('Elsewhere');
      const foreign = (await request(server, 'GET', `/v1/organizations/${other.organizationId}/activities`, { auth: other })).body.result[0];
      const cross = await request(server, 'GET', `${base}/activities/${foreign.id}`, { auth: server.admin });
      assert.equal(cross.status, 404);
    });

    it('streams long lists as one valid envelope across pages', async () => {
      // More than one page (1000) of activities, written the way the service writes them.
      const start = Date.parse('2024-01-01T00:00:00.000Z');
      for (let i = 0; i < 1100; i++) await rename(`bulk ${i}`, new Date(start + i * 1000).toISOString());
      const res = await list('?to_date=2024-12-31');
      assert.equal(res.status, 200);
      assert.equal(res.body.result.length, 1100);
      assert.equal(res.body.result[0].createdAt, new Date(start + 1099 * 1000).toISOString());
      assert.equal(res.body.result[1099].createdAt, new Date(start).toISOString());
      assert.equal(new Set(res.body.result.map((a: { id: string }) => a.id)).size, 1100);
    });
  });
}
