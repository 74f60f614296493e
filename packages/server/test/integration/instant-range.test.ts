import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { listActivities } from '../helpers/activities.js';
import { testBackends } from '../helpers/backends.js';
import { request, startTestServer, type TestServer } from '../helpers/server.js';

// Instants past year 9999 (or before year 0000) once an offset is applied:
// valid RFC 3339 text, but not an instant orgplane can store, format and compare.
const YEAR_10000 = '9999-12-31T23:59:59-23:59';
const BEFORE_YEAR_0 = '0000-01-01T00:00:00+00:01';

for (const backend of testBackends()) {
  describe(`instants outside years 0000–9999 [${backend}]`, () => {
    let server: TestServer;
    let keys: string;
    before(async () => {
      server = await startTestServer({ backend });
      keys = `/v1/organizations/${server.organizationId}/keys`;
    });
    after(() => server.close());

    const state = async () => ({
      keys: (await request(server, 'GET', keys, { auth: server.admin })).body.result.map(({ usedAt: _u, ...k }: any) => k),
      activities: (await listActivities(server, server.organizationId, server.admin)).length,
    });

    for (const expireAt of [YEAR_10000, BEFORE_YEAR_0]) {
      it(`POST and PATCH of a key with expireAt ${expireAt}: 400 naming expireAt, nothing written, the keys still readable`, async () => {
        const before = await state();
        const created = await request(server, 'POST', keys, { auth: server.admin, body: { name: 'far future', roles: ['developer'], expireAt } });
        assert.equal(created.status, 400, created.text);
        assert.match(created.body.error, /Invalid field 'expireAt': must be between 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z/);
        const victim = await request(server, 'POST', keys, { auth: server.admin, body: { name: 'victim', roles: ['developer'] } });
        assert.equal(victim.status, 200, victim.text);
        const afterCreate = await state();
        const patched = await request(server, 'PATCH', `${keys}/${victim.body.result.key.id}`, { auth: server.admin, body: { expireAt } });
        assert.equal(patched.status, 400, patched.text);
        assert.match(patched.body.error, /'expireAt'/);
        assert.deepEqual(await state(), afterCreate, 'the PATCH changed nothing');
        assert.equal(afterCreate.keys.length, before.keys.length + 1, 'only the valid key was created');
        const listed = await request(server, 'GET', keys, { auth: server.admin });
        assert.equal(listed.status, 200, listed.text);
      });
    }

    it('the latest storable instant is accepted and read back', async () => {
      const created = await request(server, 'POST', keys, { auth: server.admin, body: { name: 'last instant', roles: ['developer'], expireAt: '9999-12-31T23:59:59.999Z' } });
      assert.equal(created.status, 200, created.text);
      assert.equal(created.body.result.key.expireAt, '9999-12-31T23:59:59.999Z');
      const read = await request(server, 'GET', `${keys}/${created.body.result.key.id}`, { auth: server.admin });
      assert.equal(read.body.result.expireAt, '9999-12-31T23:59:59.999Z');
    });

    for (const field of ['from_date', 'to_date']) {
      it(`${field} in year 10000 or before year 0000 is a 400 naming it (it would sort wrongly as text)`, async () => {
        for (const value of [YEAR_10000, BEFORE_YEAR_0]) {
          const res = await request(server, 'GET', `/v1/organizations/${server.organizationId}/activities?${field}=${encodeURIComponent(value)}`, { auth: server.admin });
          assert.equal(res.status, 400, `${value}: ${res.text}`);
          assert.match(res.body.error, new RegExp(`Invalid query parameter '${field}': ${field} must be between`));
        }
      });
    }

    it('dates of year 0000 and 9999 are accepted as activity bounds (not read as 1900)', async () => {
      const all = await request(server, 'GET', `/v1/organizations/${server.organizationId}/activities?from_date=0000-01-01&to_date=9999-12-31`, { auth: server.admin });
      assert.equal(all.status, 200, all.text);
      assert.equal(all.body.result.length, (await listActivities(server, server.organizationId, server.admin)).length);
      const none = await request(server, 'GET', `/v1/organizations/${server.organizationId}/activities?from_date=0000-01-01&to_date=0099-12-31`, { auth: server.admin });
      assert.equal(none.status, 200, none.text);
      assert.deepEqual(none.body.result, []);
    });
  });
}
