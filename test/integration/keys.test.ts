import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { testBackends } from '../helpers/backends.js';
import { waitForKeyCache } from '../helpers/key-cache.js';
import { createApiKey } from '../helpers/keys.js';
import { request, startTestServer, type TestServer } from '../helpers/server.js';

const sha = (value: string) => createHash('sha256').update(value).digest('base64');

for (const backend of testBackends()) {
  describe(`API keys [${backend}]`, () => {
    let server: TestServer;
    let keys: string;
    const me = (path = '') => `/v1/organizations/${server.organizationId}${path}`;
    const admin = () => ({ auth: server.admin });
    const activities = async () => (await request(server, 'GET', me('/activities'), admin())).body.result;
    const keyList = async () => (await request(server, 'GET', keys, admin())).body.result;

    before(async () => {
      server = await startTestServer({ backend });
      keys = me('/keys');
    });
    after(() => server.close());

    it('creates a key whose returned pair authenticates, and shows usedAt only after use', async () => {
      const res = await request(server, 'POST', keys, { auth: server.admin, body: { name: 'ci', roles: ['developer'] } });
      assert.equal(res.status, 200, res.text);
      const { key, keyId, keySecret } = res.body.result;
      assert.deepEqual(Object.keys(key).sort(), ['createdAt', 'expireAt', 'id', 'ipAccessList', 'keySuffix', 'name', 'roles', 'state']);
      assert.equal(key.keySuffix, keyId.slice(-4));
      assert.equal(key.state, 'enabled');
      assert.equal(key.expireAt, null);
      assert.deepEqual(key.roles, ['developer']);
      assert.ok(!res.text.includes(sha(keyId)) && !res.text.includes(sha(keySecret)), 'no hashes in responses');
      assert.equal((await request(server, 'GET', '/v1/organizations', { auth: { keyId, keySecret } })).status, 200);
      const fetched = await request(server, 'GET', `${keys}/${key.id}`, admin());
      assert.match(fetched.body.result.usedAt, /^\d{4}-/);
      const [activity] = await activities();
      assert.equal(activity.type, 'key_create');
      assert.equal(activity.targetKeyId, key.id);
    });

    it('creates a key from client-side hashData; the plaintext pair then authenticates', async () => {
      const keyId = 'ClientSideKeyId12345';
      const keySecret = 'client-side-secret-that-never-travels';
      const res = await request(server, 'POST', keys, {
        auth: server.admin,
        body: { name: 'hashed', roles: ['admin'], hashData: { keyIdHash: sha(keyId), keyIdSuffix: keyId.slice(-4), keySecretHash: sha(keySecret) } },
      });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.result.keyId, undefined);
      assert.equal(res.body.result.keySecret, undefined);
      assert.equal(res.body.result.key.keySuffix, '2345');
      assert.equal((await request(server, 'GET', '/v1/organizations', { auth: { keyId, keySecret } })).status, 200);
      const again = await request(server, 'POST', keys, {
        auth: server.admin,
        body: { name: 'dup', roles: ['admin'], hashData: { keyIdHash: sha(keyId), keyIdSuffix: '2345', keySecretHash: sha('x') } },
      });
      assert.equal(again.status, 400);
      assert.match(again.body.error, /hashData\.keyIdHash/);
    });

    const invalidCreates: [string, Record<string, unknown>, RegExp][] = [
      ['no roles', { name: 'x' }, /roles/],
      ['empty roles', { name: 'x', roles: [] }, /roles/],
      ['an unknown role', { name: 'x', roles: ['owner'] }, /roles\[0\]/],
      ['no name', { roles: ['admin'] }, /'name'/],
      ['a blank name', { name: ' ', roles: ['admin'] }, /'name'/],
      ['an over-long name', { name: 'n'.repeat(256), roles: ['admin'] }, /'name'/],
      ['a bad state', { name: 'x', roles: ['admin'], state: 'paused' }, /state/],
      ['a past expireAt', { name: 'x', roles: ['admin'], expireAt: '2020-01-01T00:00:00Z' }, /expireAt.*future/],
      ['a non-date expireAt', { name: 'x', roles: ['admin'], expireAt: 'tomorrow' }, /expireAt/],
      ['custom role ids (not supported)', { name: 'x', roles: ['admin'], assignedRoleIds: [] }, /assignedRoleIds/],
      ['an unknown field', { name: 'x', roles: ['admin'], foo: 1 }, /foo/],
      ['a short hash', { name: 'x', roles: ['admin'], hashData: { keyIdHash: 'abc', keyIdSuffix: 'abcd', keySecretHash: sha('s') } }, /hashData\.keyIdHash/],
      ['a 3-character suffix', { name: 'x', roles: ['admin'], hashData: { keyIdHash: sha('a'), keyIdSuffix: 'abc', keySecretHash: sha('s') } }, /hashData\.keyIdSuffix/],
      ['missing keySecretHash', { name: 'x', roles: ['admin'], hashData: { keyIdHash: sha('a'), keyIdSuffix: 'abcd' } }, /hashData\.keySecretHash/],
      ...['300.1.1.1', '10.0.0.0/33', '127.1', 'abc', '::1/129'].map(
        (source): [string, Record<string, unknown>, RegExp] => [`the IP source ${source}`, { name: 'x', roles: ['admin'], ipAccessList: [{ source: '127.0.0.1' }, { source }] }, /ipAccessList\[1\]\.source/],
      ),
    ];
    for (const [label, body, message] of invalidCreates) {
      it(`refuses a create with ${label} (400 naming the field, nothing changed)`, async () => {
        const before = await keyList();
        const activityCount = (await activities()).length;
        const res = await request(server, 'POST', keys, { auth: server.admin, body });
        assert.equal(res.status, 400, res.text);
        assert.match(res.body.error, message);
        assert.deepEqual(await keyList(), before);
        assert.equal((await activities()).length, activityCount);
      });
    }

    it('gets one key by UUID; foreign, unknown and malformed ids are 404/404/400', async () => {
      const other = await server.bootstrap('Other org');
      const otherKeys = await request(server, 'GET', `/v1/organizations/${other.organizationId}/keys`, { auth: other });
      assert.equal((await request(server, 'GET', `${keys}/${otherKeys.body.result[0].id}`, admin())).status, 404);
      assert.equal((await request(server, 'GET', `${keys}/6a0e1e0c-5b6f-4c7e-9d1f-1f2e3d4c5b6a`, admin())).status, 404);
      assert.equal((await request(server, 'GET', `${keys}/not-a-uuid`, admin())).status, 400);
      // The other organization's admin cannot reach this organization's keys at all.
      assert.equal((await request(server, 'GET', keys, { auth: other })).status, 403);
    });

    it('PATCH writes one openapi_key_update per kind of change, and none when nothing changes', async () => {
      const key = await createApiKey(server, { name: 'patch me', roles: ['developer'] });
      const before = (await activities()).length;
      const res = await request(server, 'PATCH', `${keys}/${key.id}`, { auth: server.admin, body: { name: 'patched', roles: ['admin', 'developer'], state: 'disabled' } });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.result.name, 'patched');
      assert.deepEqual(res.body.result.roles, ['admin', 'developer']);
      let written = (await activities()).slice(0, (await activities()).length - before);
      assert.deepEqual(written.map((a: { keyUpdateType: string }) => a.keyUpdateType).sort(), ['name-changed', 'role-changed', 'state-changed']);
      for (const a of written) {
        assert.equal(a.type, 'openapi_key_update');
        assert.equal(a.targetKeyId, key.id);
        assert.equal(a.actorType, 'api');
      }
      const future = new Date(Date.now() + 86_400_000).toISOString();
      await request(server, 'PATCH', `${keys}/${key.id}`, { auth: server.admin, body: { expireAt: future } });
      await request(server, 'PATCH', `${keys}/${key.id}`, { auth: server.admin, body: { ipAccessList: [{ source: '127.0.0.1' }] } });
      written = await activities();
      assert.deepEqual([written[0].keyUpdateType, written[1].keyUpdateType], ['ip-access-list-changed', 'date-changed']);
      const count = written.length;
      const same = await request(server, 'PATCH', `${keys}/${key.id}`, { auth: server.admin, body: { name: 'patched', state: 'disabled', expireAt: future } });
      assert.equal(same.status, 200);
      assert.equal((await activities()).length, count);
      const cleared = await request(server, 'PATCH', `${keys}/${key.id}`, { auth: server.admin, body: { expireAt: null } });
      assert.equal(cleared.body.result.expireAt, null);
      // An empty string also means "never expires", as the vendor documents.
      await request(server, 'PATCH', `${keys}/${key.id}`, { auth: server.admin, body: { expireAt: future } });
      const emptied = await request(server, 'PATCH', `${keys}/${key.id}`, { auth: server.admin, body: { expireAt: '' } });
      assert.equal(emptied.status, 200, emptied.text);
      assert.equal(emptied.body.result.expireAt, null);
      const created = await request(server, 'POST', keys, { auth: server.admin, body: { name: 'no expiry', roles: ['developer'], expireAt: '' } });
      assert.equal(created.body.result.key.expireAt, null);
    });

    it('disable → 401 (the unknown-key 401) → enable → 200', async () => {
      const key = await createApiKey(server, { roles: ['developer'] });
      const unknown = await request(server, 'GET', '/v1/organizations', { auth: { keyId: 'NoSuchKeyNoSuchKey00', keySecret: 'x' } });
      assert.equal((await request(server, 'GET', '/v1/organizations', { auth: key })).status, 200);
      await request(server, 'PATCH', `${keys}/${key.id}`, { auth: server.admin, body: { state: 'disabled' } });
      const disabled = await request(server, 'GET', '/v1/organizations', { auth: key });
      assert.equal(disabled.status, 401);
      assert.equal(disabled.body.error, unknown.body.error);
      await request(server, 'PATCH', `${keys}/${key.id}`, { auth: server.admin, body: { state: 'enabled' } });
      assert.equal((await request(server, 'GET', '/v1/organizations', { auth: key })).status, 200);
    });

    it('a key past its expireAt gets 401', async () => {
      const key = await createApiKey(server, { expireAt: new Date(Date.now() + 1500).toISOString() });
      assert.equal((await request(server, 'GET', '/v1/organizations', { auth: key })).status, 200);
      await new Promise((resolve) => setTimeout(resolve, 1600));
      assert.equal((await request(server, 'GET', '/v1/organizations', { auth: key })).status, 401);
    });

    it('a role change takes effect on the next request', async () => {
      const key = await createApiKey(server, { roles: ['developer'] });
      assert.equal((await request(server, 'GET', keys, { auth: key })).status, 403);
      await request(server, 'PATCH', `${keys}/${key.id}`, { auth: server.admin, body: { roles: ['admin'] } });
      assert.equal((await request(server, 'GET', keys, { auth: key })).status, 200);
    });

    it('enforces IP allow lists before anything else', async () => {
      const outside = await createApiKey(server, { ipAccessList: [{ source: '10.0.0.0/8', description: 'office' }] });
      const res = await request(server, 'GET', '/v1/organizations', { auth: outside });
      assert.equal(res.status, 403);
      assert.match(res.body.error, /IP address/);
      const inside = await createApiKey(server, { ipAccessList: [{ source: '127.0.0.0/8' }] });
      assert.equal((await request(server, 'GET', '/v1/organizations', { auth: inside })).status, 200);
      const v6only = await createApiKey(server, { ipAccessList: [{ source: '::1' }] });
      assert.equal((await request(server, 'GET', '/v1/organizations', { auth: v6only })).status, 403);
      // Replacing the list takes effect at once.
      await request(server, 'PATCH', `${keys}/${outside.id}`, { auth: server.admin, body: { ipAccessList: [{ source: '127.0.0.1' }] } });
      assert.equal((await request(server, 'GET', '/v1/organizations', { auth: outside })).status, 200);
    });

    it('refuses self-delete; a deleted key fails on its very next request; deleting twice is 404', async () => {
      const self = await request(server, 'GET', keys, admin());
      const adminId = self.body.result.find((k: { name: string }) => k.name === 'admin key').id;
      const selfDelete = await request(server, 'DELETE', `${keys}/${adminId}`, admin());
      assert.equal(selfDelete.status, 400);
      assert.match(selfDelete.body.error, /cannot delete itself/);
      const victim = await createApiKey(server);
      assert.equal((await request(server, 'GET', '/v1/organizations', { auth: victim })).status, 200);
      const deleted = await request(server, 'DELETE', `${keys}/${victim.id}`, { auth: server.admin, headers: { 'content-type': 'application/json' } });
      assert.equal(deleted.status, 200);
      assert.deepEqual(Object.keys(deleted.body).sort(), ['requestId', 'status']);
      assert.equal((await request(server, 'GET', '/v1/organizations', { auth: victim })).status, 401);
      assert.equal((await request(server, 'DELETE', `${keys}/${victim.id}`, admin())).status, 404);
      const [activity] = await activities();
      assert.equal(activity.type, 'key_delete');
      assert.equal(activity.targetKeyId, victim.id);
    });

    it('holds the 100-key quota under concurrent creates', async () => {
      const quota = await startTestServer({ backend });
      try {
        const path = `/v1/organizations/${quota.organizationId}/keys`;
        for (let i = 1; i < 90; i++) assert.equal((await request(quota, 'POST', path, { auth: quota.admin, body: { name: `k${i}`, roles: ['developer'] } })).status, 200);
        const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => request(quota, 'POST', path, { auth: quota.admin, body: { name: `b${i}`, roles: ['developer'] } })));
        const ok = burst.filter((r) => r.status === 200).length;
        assert.equal(ok, 10);
        for (const r of burst.filter((r) => r.status !== 200)) {
          assert.equal(r.status, 400);
          assert.match(r.body.error, /maximum of 100 API keys/);
        }
        const list = await request(quota, 'GET', path, { auth: quota.admin });
        assert.equal(list.body.result.length, 100);
        const creates = (await request(quota, 'GET', `/v1/organizations/${quota.organizationId}/activities`, { auth: quota.admin })).body.result.filter((a: { type: string }) => a.type === 'key_create');
        assert.equal(creates.length, 100);
      } finally {
        await quota.close();
      }
    });

    it('never returns key material in any key response and never stores the plaintext', async () => {
      const created = await createApiKey(server);
      await waitForKeyCache();
      const rows = await server.database.db.selectFrom('api_keys').selectAll().execute();
      const dump = JSON.stringify(rows);
      assert.ok(!dump.includes(created.keyId) && !dump.includes(created.keySecret));
      const listed = (await request(server, 'GET', keys, admin())).text;
      assert.ok(!listed.includes(created.keySecret) && !listed.includes(created.keyId) && !listed.includes('Hash'));
    });
  });
}
