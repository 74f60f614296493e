import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testBackends } from '../helpers/backends.js';
import { sha256Base64 } from '../helpers/hash-data.js';
import { KeyApi, UNKNOWN_UUID, type IssuedKey } from '../helpers/key-api.js';
import { assertNoCredentialsStored } from '../helpers/stored-credentials.js';
import { request, startTestServer, type TestServer } from '../helpers/server.js';

// Issue 3: every key mutation writes its activity: key_create / key_delete with
// targetKeyId, openapi_key_update with targetKeyId and one keyUpdateType per
// kind of change; API actor fields; never a credential.

const USER_AGENT = 'orgplane-keys-test/1.0';
const ACTIVITY_FIELDS = new Set(['id', 'createdAt', 'type', 'actorType', 'actorId', 'actorDetails', 'actorIpAddress', 'userAgent', 'organizationId', 'targetKeyId', 'keyUpdateType']);

for (const backend of testBackends()) {
  describe(`API key activities [${backend}]`, () => {
    let server: TestServer;
    let api: KeyApi;
    let adminId: string;

    before(async () => {
      server = await startTestServer({ backend });
      api = new KeyApi(server);
      adminId = await api.adminKeyId();
    });
    after(() => server.close());

    /** Runs a request as the admin with a known User-Agent and returns the activities it wrote (oldest first). */
    const written = async (method: string, path: string, body?: unknown): Promise<{ res: Awaited<ReturnType<KeyApi['call']>>; activities: any[] }> => {
      const before = await api.activities();
      const res = await api.call(method, path, { headers: { 'user-agent': USER_AGENT }, ...(body === undefined ? {} : { body }) });
      return { res, activities: (await api.activitiesSince(before)).reverse() };
    };

    const assertApiActor = (activity: any, actorKeyId = adminId, actorName = 'admin key') => {
      assert.equal(activity.actorType, 'api');
      assert.equal(activity.actorId, actorKeyId, 'actorId is the acting key UUID');
      assert.equal(activity.actorIpAddress, '127.0.0.1');
      assert.equal(activity.userAgent, USER_AGENT);
      assert.ok(activity.actorDetails?.includes(actorName), `actorDetails ${activity.actorDetails} names the key`);
      assert.equal(activity.organizationId, server.organizationId);
      assert.deepEqual(Object.keys(activity).filter((k) => !ACTIVITY_FIELDS.has(k)), []);
      assert.ok(Math.abs(Date.parse(activity.createdAt) - Date.now()) < 60_000);
    };

    const patchKinds = async (key: IssuedKey, body: unknown) => {
      const { res, activities } = await written('PATCH', api.keyPath(key.id), body);
      assert.equal(res.status, 200, res.text);
      for (const a of activities) {
        assert.equal(a.type, 'openapi_key_update');
        assert.equal(a.targetKeyId, key.id);
        assertApiActor(a);
      }
      return activities.map((a) => a.keyUpdateType).sort();
    };

    it('create writes exactly one key_create with targetKeyId = the new key', async () => {
      const { res, activities } = await written('POST', api.keysPath, { name: 'audited', roles: ['developer'] });
      assert.equal(res.status, 200, res.text);
      api.remember({ keyId: res.body.result.keyId, keySecret: res.body.result.keySecret });
      assert.equal(activities.length, 1);
      const [activity] = activities;
      assert.equal(activity.type, 'key_create');
      assert.equal(activity.targetKeyId, res.body.result.key.id);
      assert.equal('keyUpdateType' in activity, false);
      assertApiActor(activity);
      // The same record through GET …/activities/{id}.
      const one = await api.call('GET', `/v1/organizations/${server.organizationId}/activities/${activity.id}`);
      assert.equal(one.status, 200);
      assert.deepEqual(one.body.result, activity);
    });

    it('a hashData create writes key_create too', async () => {
      const { res, activities } = await written('POST', api.keysPath, {
        name: 'hashed audited',
        roles: ['admin'],
        hashData: { keyIdHash: sha256Base64('audit-key-id'), keyIdSuffix: 'y-id', keySecretHash: sha256Base64('audit-secret') },
      });
      assert.equal(res.status, 200, res.text);
      api.remember({ keyId: 'audit-key-id', keySecret: 'audit-secret' });
      assert.deepEqual(activities.map((a) => [a.type, a.targetKeyId]), [['key_create', res.body.result.key.id]]);
    });

    it('a PATCH of name + roles + state writes exactly three: name-changed, role-changed, state-changed', async () => {
      const key = await api.create({ name: 'three changes', roles: ['developer'] });
      assert.deepEqual(await patchKinds(key, { name: 'renamed', roles: ['admin', 'developer'], state: 'disabled' }), ['name-changed', 'role-changed', 'state-changed']);
    });

    it('one activity per kind of change, for each kind alone and all five together', async () => {
      const key = await api.create({ name: 'kinds', roles: ['developer'] });
      const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
      assert.deepEqual(await patchKinds(key, { name: 'kinds 2' }), ['name-changed']);
      assert.deepEqual(await patchKinds(key, { roles: ['query_endpoints'] }), ['role-changed']);
      assert.deepEqual(await patchKinds(key, { state: 'disabled' }), ['state-changed']);
      assert.deepEqual(await patchKinds(key, { state: 'enabled' }), ['state-changed']);
      assert.deepEqual(await patchKinds(key, { expireAt: future(1) }), ['date-changed']);
      assert.deepEqual(await patchKinds(key, { expireAt: future(2) }), ['date-changed']);
      assert.deepEqual(await patchKinds(key, { expireAt: null }), ['date-changed'], 'clearing the expiry is a date change');
      assert.deepEqual(await patchKinds(key, { ipAccessList: [{ source: '127.0.0.1' }] }), ['ip-access-list-changed']);
      assert.deepEqual(await patchKinds(key, { ipAccessList: [{ source: '127.0.0.1', description: 'now described' }] }), ['ip-access-list-changed']);
      assert.deepEqual(await patchKinds(key, { ipAccessList: [] }), ['ip-access-list-changed']);
      assert.deepEqual(
        await patchKinds(key, { name: 'all five', roles: ['admin'], state: 'disabled', expireAt: future(3), ipAccessList: [{ source: '10.0.0.0/8' }] }),
        ['date-changed', 'ip-access-list-changed', 'name-changed', 'role-changed', 'state-changed'],
      );
    });

    it('a PATCH that changes nothing writes nothing (same values, roles reordered or repeated, empty body)', async () => {
      const expireAt = new Date(Date.now() + 86_400_000).toISOString();
      const key = await api.create({ name: 'steady', roles: ['admin', 'developer'], expireAt, ipAccessList: [{ source: '127.0.0.1', description: 'lo' }] });
      assert.deepEqual(await patchKinds(key, { name: 'steady' }), []);
      assert.deepEqual(await patchKinds(key, { roles: ['developer', 'admin'] }), []);
      assert.deepEqual(await patchKinds(key, { roles: ['admin', 'developer', 'admin'] }), []);
      assert.deepEqual(await patchKinds(key, { state: 'enabled' }), []);
      assert.deepEqual(await patchKinds(key, { expireAt }), []);
      assert.deepEqual(await patchKinds(key, { ipAccessList: [{ source: '127.0.0.1', description: 'lo' }] }), []);
      assert.deepEqual(await patchKinds(key, {}), []);
      assert.deepEqual(await patchKinds(key, { name: 'steady', roles: ['admin', 'developer'], state: 'enabled', expireAt, ipAccessList: [{ source: '127.0.0.1', description: 'lo' }] }), []);
      const cleared = await api.create({ name: 'no expiry' });
      assert.deepEqual(await patchKinds(cleared, { expireAt: null }), [], 'null on a key without expiry is no change');
      // Only what changed is recorded when some fields change and others do not.
      assert.deepEqual(await patchKinds(key, { name: 'steady', state: 'disabled' }), ['state-changed']);
    });

    it('delete writes exactly one key_delete with targetKeyId; refused deletes write nothing', async () => {
      const key = await api.create({ name: 'doomed' });
      const { res, activities } = await written('DELETE', api.keyPath(key.id));
      assert.equal(res.status, 200, res.text);
      assert.equal(activities.length, 1);
      assert.equal(activities[0].type, 'key_delete');
      assert.equal(activities[0].targetKeyId, key.id);
      assertApiActor(activities[0]);
      assert.deepEqual((await written('DELETE', api.keyPath(key.id))).activities, []);
      assert.deepEqual((await written('DELETE', api.keyPath(UNKNOWN_UUID))).activities, []);
      assert.deepEqual((await written('DELETE', api.keyPath(adminId))).activities, [], 'self-delete');
    });

    it('the actor is the key that acted (its UUID and name), not the bootstrap admin', async () => {
      const actor = await api.create({ name: 'second admin', roles: ['admin'] });
      const target = await api.create({ name: 'acted upon', roles: ['developer'] });
      const before = await api.activities();
      const patched = await request(server, 'PATCH', api.keyPath(target.id), { auth: actor, headers: { 'user-agent': USER_AGENT }, body: { state: 'disabled' } });
      assert.equal(patched.status, 200, patched.text);
      const deleted = await request(server, 'DELETE', api.keyPath(target.id), { auth: actor, headers: { 'user-agent': USER_AGENT } });
      assert.equal(deleted.status, 200, deleted.text);
      const activities = (await api.activitiesSince(before)).reverse();
      assert.deepEqual(activities.map((a) => a.keyUpdateType ?? a.type), ['state-changed', 'key_delete']);
      for (const a of activities) assertApiActor(a, actor.id, 'second admin');
    });

    it('refused requests (validation, 404, 403) write nothing', async () => {
      const key = await api.create({ name: 'untouched', roles: ['developer'] });
      const developer = await api.create({ name: 'developer', roles: ['developer'] });
      const before = await api.activities();
      assert.equal((await api.patch(key.id, { name: '' })).status, 400);
      assert.equal((await api.patch(key.id, { name: 'ok', ipAccessList: [{ source: 'bad' }] })).status, 400);
      assert.equal((await api.patch(UNKNOWN_UUID, { name: 'ghost' })).status, 404);
      assert.equal((await api.createRaw({ name: 'x', roles: [] })).status, 400);
      assert.equal((await api.patch(key.id, { name: 'by developer' }, developer)).status, 403);
      assert.equal((await api.createRaw({ name: 'by developer', roles: ['admin'] }, developer)).status, 403);
      assert.equal((await api.delete(key.id, developer)).status, 403);
      assert.deepEqual(await api.activitiesSince(before), []);
    });

    it("other organizations' activities are untouched by this organization's key changes", async () => {
      const other = await server.bootstrap('Bystander', 'admin');
      api.remember(other);
      const bystander = new KeyApi(server, server, other.organizationId, other);
      const theirs = await bystander.activities();
      const key = await api.create({ name: 'local' });
      await api.patchOk(key.id, { name: 'local 2' });
      assert.equal((await api.delete(key.id)).status, 200);
      assert.deepEqual(await bystander.activities(), theirs);
      assert.equal((await api.activities()).some((a) => a.organizationId !== server.organizationId), false);
    });

    it('no activity anywhere contains a key ID or secret; actorIds are key UUIDs', async () => {
      const activities = await api.activities();
      assert.ok(activities.length > 30);
      const text = JSON.stringify(activities);
      for (const { keyId, keySecret } of api.issued) {
        assert.equal(text.includes(keyId), false, `key ID …${keyId.slice(-4)} in activities`);
        assert.equal(text.includes(keySecret), false, 'secret in activities');
        assert.equal(text.includes(sha256Base64(keyId)), false, 'key ID hash in activities');
        assert.equal(text.includes(sha256Base64(keySecret)), false, 'secret hash in activities');
      }
      const keyIds = new Set(api.issued.map((c) => c.keyId));
      for (const a of activities.filter((a) => a.actorType === 'api')) {
        assert.match(a.actorId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        assert.equal(keyIds.has(a.actorId), false);
      }
      const keyActivities = activities.filter((a) => ['key_create', 'key_delete', 'openapi_key_update'].includes(a.type));
      assert.ok(keyActivities.every((a) => typeof a.targetKeyId === 'string' && !keyIds.has(a.targetKeyId)));
      assert.ok(keyActivities.filter((a) => a.type === 'openapi_key_update').every((a) => ['name-changed', 'role-changed', 'state-changed', 'date-changed', 'ip-access-list-changed'].includes(a.keyUpdateType)));
    });

    it('never stored or logged any issued key ID or secret', async () => {
      await assertNoCredentialsStored(server, api.issued);
    });
  });
}
