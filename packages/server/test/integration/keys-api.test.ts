import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testBackends } from '../helpers/backends.js';
import { sha256Base64 } from '../helpers/hash-data.js';
import { KeyApi, UNKNOWN_UUID } from '../helpers/key-api.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { assertNoCredentialsStored } from '../helpers/stored-credentials.js';
import { sleep } from '../helpers/wait.js';
import { request, startTestServer, type Credentials, type TestServer } from '../helpers/server.js';

// Issue 3: the /keys endpoints (list, create, get, update, delete), what a key's
// state, expiry and roles do to authentication. Who may call them (roles,
// other organizations) is the access matrix's (access-matrix.test.ts).

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const API_KEY_FIELDS = ['assignedRoles', 'createdAt', 'expireAt', 'id', 'ipAccessList', 'keySuffix', 'name', 'roles', 'state'];
/** A key's assignedRoles as 'type:name' (the deprecated roles are carried by the system roles of the same name). */
const assignedRoleNames = (key: { assignedRoles: { roleName: string; roleType: string }[] }): string[] => key.assignedRoles.map((r) => `${r.roleType}:${r.roleName}`);

for (const backend of testBackends()) {
  describe(`API key management [${backend}]`, () => {
    let server: TestServer;
    let api: KeyApi;
    let unknownKey401: { status: number; error: string; wwwAuthenticate: string | null };

    before(async () => {
      server = await startTestServer({ backend });
      api = new KeyApi(server);
      const res = await request(server, 'GET', '/v1/organizations', { auth: { keyId: 'NoSuchKeyNoSuchKey00', keySecret: 'no-such-secret' } });
      unknownKey401 = { status: res.status, error: res.body.error, wwwAuthenticate: res.headers.get('www-authenticate') };
      assert.equal(unknownKey401.status, 401);
    });
    after(() => server.close());

    /** Asserts the response is the very 401 an unknown key gets. */
    const assertUnknownKey401 = async (credentials: Credentials) => {
      const res = await request(server, 'GET', '/v1/organizations', { auth: credentials });
      assert.equal(res.status, 401, res.text);
      assert.deepEqual({ status: res.body.status, error: res.body.error, wwwAuthenticate: res.headers.get('www-authenticate') }, unknownKey401);
      assert.deepEqual(Object.keys(res.body).sort(), ['error', 'requestId', 'status']);
    };

    describe('create', () => {
      it('returns the key once with a pair that authenticates; the ApiKey has exactly the spec fields and no hash', async () => {
        const res = await api.createRaw({ name: 'ci pipeline', roles: ['developer'] });
        assert.equal(res.status, 200, res.text);
        assert.equal(res.body.status, 200);
        assert.match(res.body.requestId, UUID_V4);
        assert.deepEqual(Object.keys(res.body.result).sort(), ['key', 'keyId', 'keySecret']);
        const { key, keyId, keySecret } = res.body.result;
        assert.equal(typeof keyId, 'string');
        assert.equal(typeof keySecret, 'string');
        assert.ok(keyId.length >= 16 && keySecret.length >= 32, 'credentials are long enough to be unguessable');
        assert.deepEqual(Object.keys(key).sort(), API_KEY_FIELDS);
        assert.match(key.id, UUID_V4);
        assert.equal(key.name, 'ci pipeline');
        assert.equal(key.state, 'enabled');
        assert.deepEqual(key.roles, ['developer']);
        assert.deepEqual(assignedRoleNames(key), ['system:Developer']);
        assert.equal(key.keySuffix, keyId.slice(-4));
        assert.match(key.createdAt, ISO_UTC);
        assert.ok(Math.abs(Date.parse(key.createdAt) - Date.now()) < 60_000);
        assert.equal(key.expireAt, null);
        assert.deepEqual(key.ipAccessList, []);
        for (const hash of [sha256Base64(keyId), sha256Base64(keySecret)]) assert.equal(res.text.includes(hash), false, 'a hash in the response');
        assert.doesNotMatch(res.text, /hash/i);

        const auth = await request(server, 'GET', '/v1/organizations', { auth: { keyId, keySecret } });
        assert.equal(auth.status, 200, auth.text);
        assert.equal(auth.body.result.length, 1);
        assert.equal(auth.body.result[0].id, server.organizationId);
        // A wrong secret for that real key ID is the unknown-key 401.
        await assertUnknownKey401({ keyId, keySecret: `${keySecret}x` });
      });

      it('omits usedAt until the key is first used, then shows it on GET', async () => {
        const key = await api.create({ roles: ['developer'] });
        assert.equal('usedAt' in key.key, false);
        const before = await api.get(key.id);
        assert.equal('usedAt' in before, false, 'usedAt present before any use');
        assert.equal('usedAt' in (await api.list()).find((k) => k.id === key.id), false);
        const usedFrom = Date.now();
        assert.equal(await api.probe(key), 200);
        const afterUse = await api.get(key.id);
        assert.match(afterUse.usedAt ?? '', ISO_UTC, 'usedAt absent on the GET right after the first use');
        assert.ok(Date.parse(afterUse.usedAt) >= usedFrom - 1000);
        assert.equal((await api.list()).find((k) => k.id === key.id).usedAt, afterUse.usedAt);
      });

      it('shows usedAt on the very next GET after a first use, every time (100 fresh keys)', async () => {
        const missing: string[] = [];
        for (let i = 0; i < 100; i++) {
          const key = await api.create({ name: `used ${i}`, roles: ['developer'] });
          assert.equal(await api.probe(key), 200);
          if (!('usedAt' in (await api.get(key.id)))) missing.push(key.id);
          assert.equal((await api.delete(key.id)).status, 200);
        }
        assert.deepEqual(missing, [], `${missing.length}/100 keys had no usedAt on the GET right after a successful request`);
      });

      it('creates from client-side hashData: no keyId/keySecret in the response, the plaintext pair authenticates', async () => {
        const keyId = 'ClientMadeKeyId7Qx9';
        const keySecret = 'client-made-secret-4kT2pLw8nZr1vYc6bHs3qJm0';
        api.remember({ keyId, keySecret });
        const res = await api.createRaw({
          name: 'terraform',
          roles: ['admin', 'developer'],
          hashData: { keyIdHash: sha256Base64(keyId), keyIdSuffix: keyId.slice(-4), keySecretHash: sha256Base64(keySecret) },
        });
        assert.equal(res.status, 200, res.text);
        assert.deepEqual(Object.keys(res.body.result), ['key']);
        const { key } = res.body.result;
        assert.deepEqual(Object.keys(key).sort(), API_KEY_FIELDS);
        assert.equal(key.keySuffix, '7Qx9');
        assert.deepEqual(key.roles, ['admin', 'developer']);
        assert.deepEqual(assignedRoleNames(key), ['system:Admin', 'system:Developer']);
        assert.equal(res.text.includes(sha256Base64(keyId)), false);
        assert.equal(res.text.includes(sha256Base64(keySecret)), false);

        assert.equal(await api.probe({ keyId, keySecret }), 200);
        assert.equal(await api.probe({ keyId, keySecret }, api.keysPath), 200, 'the hashData key has its admin role');
        await assertUnknownKey401({ keyId, keySecret: 'not-the-secret' });
        // The hashes themselves are not credentials.
        await assertUnknownKey401({ keyId: sha256Base64(keyId), keySecret: sha256Base64(keySecret) });
      });

      it('refuses a keyIdHash that is already registered (400 naming hashData.keyIdHash), changing nothing', async () => {
        const existing = await api.create({ roles: ['developer'] });
        const before = await api.list();
        const activityCount = (await api.activities()).length;
        const res = await api.createRaw({
          name: 'collides',
          roles: ['admin'],
          hashData: { keyIdHash: sha256Base64(existing.keyId), keyIdSuffix: existing.keyId.slice(-4), keySecretHash: sha256Base64('another secret') },
        });
        assert.equal(res.status, 400, res.text);
        assert.match(res.body.error, /hashData\.keyIdHash/);
        assert.equal(res.body.error.includes(existing.keyId), false);
        assert.deepEqual((await api.list()).map((k) => k.id), before.map((k) => k.id));
        assert.equal((await api.activities()).length, activityCount);
        assert.equal(await api.probe(existing), 200, 'the existing key keeps its own secret');
        await assertUnknownKey401({ keyId: existing.keyId, keySecret: 'another secret' });
      });

      it('creates a disabled key when asked (401 until enabled), and honours expireAt and ipAccessList on create', async () => {
        const expireAt = new Date(Date.now() + 86_400_000).toISOString();
        const key = await api.create({
          state: 'disabled',
          expireAt,
          ipAccessList: [{ source: '127.0.0.1', description: 'loopback' }, { source: '2001:db8::/32' }],
        });
        assert.equal(key.key.state, 'disabled');
        assert.equal(key.key.expireAt, expireAt);
        assert.deepEqual(key.key.ipAccessList, [{ source: '127.0.0.1', description: 'loopback' }, { source: '2001:db8::/32' }]);
        await assertUnknownKey401(key);
        await api.patchOk(key.id, { state: 'enabled' });
        assert.equal(await api.probe(key), 200);
      });

      it('stores roles without duplicates in the canonical order', async () => {
        const key = await api.create({ roles: ['query_endpoints', 'developer', 'developer'] });
        assert.deepEqual(key.key.roles, ['developer', 'query_endpoints']);
        assert.deepEqual((await api.get(key.id)).roles, ['developer', 'query_endpoints']);
      });
    });

    describe('list and get', () => {
      it('lists every key of the organization (and only those), each equal to its GET', async () => {
        const other = await server.bootstrap('Neighbour for list', 'admin');
        api.remember(other);
        const otherApi = new KeyApi(server, server, other.organizationId, other);
        const otherKey = await otherApi.create({ name: 'neighbour key' });
        api.remember(otherKey);
        const mine = await api.create({ name: 'listed key' });
        const list = await api.list();
        const ids = list.map((k) => k.id);
        assert.ok(ids.includes(mine.id));
        assert.equal(new Set(ids).size, ids.length);
        assert.equal(ids.includes(otherKey.id), false, "another organization's key is listed");
        for (const key of list) {
          assert.ok(API_KEY_FIELDS.every((f) => f in key));
          assert.equal(Object.keys(key).filter((f) => !API_KEY_FIELDS.includes(f) && f !== 'usedAt').length, 0);
        }
        const listed = list.find((k) => k.id === mine.id);
        assert.deepEqual(await api.get(mine.id), listed);
        assert.deepEqual(listed, mine.key);
        const theirs = await otherApi.list();
        assert.equal(theirs.length, 2, 'the other organization sees its bootstrap key and its own new key only');
        assert.ok(theirs.some((k) => k.id === otherKey.id));
        assert.equal(theirs.some((k) => k.id === mine.id), false);
      });

      it('GET by UUID (any case); another organization\'s key and an unknown UUID are 404; a malformed UUID is 400', async () => {
        const key = await api.create({ name: 'get me' });
        assert.deepEqual(await api.get(key.id), key.key);
        const upper = await api.call('GET', api.keyPath(key.id.toUpperCase()));
        assert.equal(upper.status, 200, upper.text);
        assert.equal(upper.body.result.id, key.id);

        const other = await server.bootstrap('Neighbour for get', 'admin');
        api.remember(other);
        const foreignId = (await new KeyApi(server, server, other.organizationId, other).list())[0].id;
        for (const id of [foreignId, UNKNOWN_UUID]) {
          const res = await api.call('GET', api.keyPath(id));
          assert.equal(res.status, 404, res.text);
          assert.deepEqual(Object.keys(res.body).sort(), ['error', 'requestId', 'status']);
          assert.equal(res.body.status, 404);
        }
        const foreign = await api.call('GET', api.keyPath(foreignId));
        const unknown = await api.call('GET', api.keyPath(UNKNOWN_UUID));
        assert.equal(foreign.body.error, unknown.body.error, 'a foreign key looks exactly like an unknown one');
        for (const bad of ['not-a-uuid', '12345', `${key.id}0`, `urn:uuid:${key.id}`]) {
          const res = await api.call('GET', api.keyPath(bad));
          assert.equal(res.status, 400, `${bad}: ${res.text}`);
          assert.match(res.body.error, /keyId/);
        }
      });

      it('the list shows no key ID, secret or hash of any key', async () => {
        const res = await api.call('GET', api.keysPath);
        assert.equal(res.status, 200, res.text);
        assert.equal(res.text.includes('Hash'), false, 'a hash field in the list');
        for (const { keyId, keySecret } of api.issued) {
          assert.equal(res.text.includes(keyId), false, `key ID …${keyId.slice(-4)} in the list`);
          assert.equal(res.text.includes(keySecret), false, `secret of …${keyId.slice(-4)} in the list`);
        }
      });

      it("refuses an unknown or foreign key's PATCH and DELETE with 404 and leaves it alone", async () => {
        const other = await server.bootstrap('Neighbour for mutations', 'admin');
        api.remember(other);
        const otherApi = new KeyApi(server, server, other.organizationId, other);
        const victim = await otherApi.create({ name: 'not yours', roles: ['developer'] });
        api.remember(victim);
        const otherActivities = (await otherApi.activities()).length;
        assert.equal((await api.patch(victim.id, { name: 'stolen', state: 'disabled' })).status, 404);
        assert.equal((await api.delete(victim.id)).status, 404);
        assert.equal((await api.patch(UNKNOWN_UUID, { name: 'ghost' })).status, 404);
        assert.equal((await api.delete(UNKNOWN_UUID)).status, 404);
        assert.deepEqual(await otherApi.get(victim.id), victim.key);
        assert.equal(await api.probe(victim), 200);
        assert.equal((await otherApi.activities()).length, otherActivities);
      });
    });

    describe('update', () => {
      it('PATCH changes name, roles, state, expireAt (null clears) and replaces the ipAccessList; GET agrees', async () => {
        const key = await api.create({ name: 'before', roles: ['developer'], ipAccessList: [{ source: '127.0.0.1' }, { source: '10.0.0.0/8', description: 'vpn' }] });
        let result = await api.patchOk(key.id, { name: 'after' });
        assert.equal(result.name, 'after');
        assert.deepEqual(result.roles, ['developer'], 'untouched fields stay');
        assert.deepEqual(Object.keys(result).sort(), [...API_KEY_FIELDS, ...('usedAt' in result ? ['usedAt'] : [])].sort());
        result = await api.patchOk(key.id, { roles: ['admin', 'query_endpoints'] });
        assert.deepEqual(result.roles, ['admin', 'query_endpoints']);
        assert.deepEqual(assignedRoleNames(result), ['system:Admin', 'system:Query endpoints']);
        result = await api.patchOk(key.id, { state: 'disabled' });
        assert.equal(result.state, 'disabled');
        const expireAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
        result = await api.patchOk(key.id, { expireAt });
        assert.equal(result.expireAt, expireAt);
        result = await api.patchOk(key.id, { ipAccessList: [{ source: '192.168.0.0/16', description: 'office' }] });
        assert.deepEqual(result.ipAccessList, [{ source: '192.168.0.0/16', description: 'office' }], 'the list is replaced, not merged');
        result = await api.patchOk(key.id, { expireAt: null });
        assert.equal(result.expireAt, null);
        result = await api.patchOk(key.id, { ipAccessList: [] });
        assert.deepEqual(result.ipAccessList, []);
        const fetched = await api.get(key.id);
        assert.deepEqual(fetched, result);
        assert.deepEqual(
          { name: fetched.name, roles: fetched.roles, assignedRoles: assignedRoleNames(fetched), state: fetched.state, expireAt: fetched.expireAt, ipAccessList: fetched.ipAccessList, createdAt: fetched.createdAt, keySuffix: fetched.keySuffix },
          { name: 'after', roles: ['admin', 'query_endpoints'], assignedRoles: ['system:Admin', 'system:Query endpoints'], state: 'disabled', expireAt: null, ipAccessList: [], createdAt: key.key.createdAt, keySuffix: key.key.keySuffix },
        );
      });

      it('an empty expireAt means "never expires" (as the vendor documents), on PATCH and on create', async () => {
        const key = await api.create({ expireAt: new Date(Date.now() + 86_400_000).toISOString() });
        assert.equal((await api.patchOk(key.id, { expireAt: '' })).expireAt, null);
        assert.equal((await api.get(key.id)).expireAt, null);
        const created = await api.create({ name: 'no expiry', roles: ['developer'], expireAt: '' });
        assert.equal(created.key.expireAt, null);
      });

      it('normalises an expireAt with an offset to UTC', async () => {
        const key = await api.create();
        const local = '2031-03-04T05:06:07+02:00';
        assert.equal((await api.patchOk(key.id, { expireAt: local })).expireAt, '2031-03-04T03:06:07.000Z');
      });

      it('disable → 401 on the next request (the unknown-key 401) → enable → 200', async () => {
        const key = await api.create({ roles: ['developer'] });
        assert.equal(await api.probe(key), 200, 'the key is verified and cached');
        await api.patchOk(key.id, { state: 'disabled' });
        await assertUnknownKey401(key);
        await assertUnknownKey401(key);
        await api.patchOk(key.id, { state: 'enabled' });
        assert.equal(await api.probe(key), 200);
      });

      it('a key PATCHed to expire ~2 s ahead works until then and gets the unknown-key 401 after', async () => {
        const key = await api.create({ roles: ['developer'] });
        const expireAt = new Date(Date.now() + 2000);
        await api.patchOk(key.id, { expireAt: expireAt.toISOString() });
        assert.equal(await api.probe(key), 200);
        await sleep(Math.max(0, expireAt.getTime() - Date.now()) + 50);
        await assertUnknownKey401(key);
        // Clearing the expiry brings it back.
        await api.patchOk(key.id, { expireAt: null });
        assert.equal(await api.probe(key), 200);
      });

      it('refuses an expireAt in the past on PATCH (400) and leaves the key working', async () => {
        const key = await api.create();
        const res = await api.patch(key.id, { expireAt: new Date(Date.now() - 1000).toISOString() });
        assert.equal(res.status, 400, res.text);
        assert.match(res.body.error, /expireAt/);
        assert.equal((await api.get(key.id)).expireAt, null);
        assert.equal(await api.probe(key), 200);
      });

      it('a role change developer → admin, and admin → developer, takes effect on the next request', async () => {
        const key = await api.create({ roles: ['developer'] });
        assert.equal(await api.probe(key, api.keysPath), 403);
        assert.equal(await api.probe(key, `/v1/organizations/${server.organizationId}`), 200);
        await api.patchOk(key.id, { roles: ['admin'] });
        assert.equal(await api.probe(key, api.keysPath), 200);
        await api.patchOk(key.id, { roles: ['developer'] });
        assert.equal(await api.probe(key, api.keysPath), 403);
        await api.patchOk(key.id, { roles: ['query_endpoints'] });
        assert.equal(await api.probe(key, `/v1/organizations/${server.organizationId}`), 403);
      });

      it('a key may disable itself; its next request is 401', async () => {
        const key = await api.create({ roles: ['admin'] });
        const res = await api.patch(key.id, { state: 'disabled' }, key);
        assert.equal(res.status, 200, res.text);
        await assertUnknownKey401(key);
      });
    });

    describe('delete', () => {
      it('refuses to delete the key making the request (400 saying so), whatever the case of the UUID', async () => {
        const self = await api.create({ name: 'self deleter', roles: ['admin'] });
        for (const id of [self.id, self.id.toUpperCase()]) {
          const res = await api.delete(id, self);
          assert.equal(res.status, 400, res.text);
          assert.match(res.body.error, /cannot delete itself/i);
        }
        assert.equal(await api.probe(self), 200);
        assert.ok((await api.list()).some((k) => k.id === self.id));
      });

      it('deletes another key: 200 envelope without result; its very next request is 401; deleting again is 404', async () => {
        const victim = await api.create({ name: 'victim', roles: ['admin'] });
        assert.equal(await api.probe(victim), 200, 'the victim is verified and cached');
        const res = await api.delete(victim.id);
        assert.equal(res.status, 200, res.text);
        assert.deepEqual(Object.keys(res.body).sort(), ['requestId', 'status']);
        assert.equal(res.body.status, 200);
        assert.match(res.body.requestId, UUID_V4);
        await assertUnknownKey401(victim);
        assert.equal((await api.list()).some((k) => k.id === victim.id), false);
        assert.equal((await api.call('GET', api.keyPath(victim.id))).status, 404);
        const again = await api.delete(victim.id);
        assert.equal(again.status, 404, again.text);
        assert.equal((await api.patch(victim.id, { name: 'zombie' })).status, 404);
      });

      it('a DELETE sent with a JSON content type and no body works (as common clients send it)', async () => {
        const victim = await api.create();
        const res = await api.call('DELETE', api.keyPath(victim.id), { headers: { 'content-type': 'application/json' } });
        assert.equal(res.status, 200, res.text);
      });
    });

    it('never stored or logged any issued key ID or secret', async () => {
      await assertNoCredentialsStored(server, api.issued);
    });
  });

  describe(`API key expiry and usedAt on a controlled clock [${backend}]`, () => {
    const clock = new ManualClock();
    let server: TestServer;
    let api: KeyApi;
    before(async () => {
      server = await startTestServer({ backend, clock });
      api = new KeyApi(server);
    });
    after(() => server.close());

    it('a key expires exactly at expireAt, even while it is cached', async () => {
      const key = await api.create({ roles: ['developer'], expireAt: new Date(clock.now().getTime() + 60_000).toISOString() });
      assert.equal(await api.probe(key), 200);
      clock.advance(59_000);
      assert.equal(await api.probe(key), 200);
      clock.advance(1_000);
      assert.equal(await api.probe(key), 401, 'a key at its expireAt is expired');
      assert.equal(await api.probe(key), 401);
    });

    it('writes usedAt at most once a minute per key', async () => {
      const key = await api.create({ roles: ['developer'] });
      const first = clock.now().getTime();
      assert.equal(await api.probe(key), 200);
      const usedAt1 = (await api.get(key.id)).usedAt;
      assert.ok(Math.abs(Date.parse(usedAt1) - first) < 1000, `${usedAt1} is the first use`);
      clock.advance(30_000);
      assert.equal(await api.probe(key), 200);
      await sleep(100);
      assert.equal((await api.get(key.id)).usedAt, usedAt1, 'usedAt rewritten within the minute');
      clock.advance(31_000);
      const later = clock.now().getTime();
      assert.equal(await api.probe(key), 200);
      await sleep(100);
      const usedAt2 = (await api.get(key.id)).usedAt;
      assert.ok(Date.parse(usedAt2) >= later - 1000, `usedAt ${usedAt2} moved on after a minute`);
    });

    it('never stored or logged any issued key ID or secret', async () => {
      await assertNoCredentialsStored(server, api.issued);
    });
  });
}
