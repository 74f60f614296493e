import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Migrator, type Kysely, type Migration } from 'kysely';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import * as initial from '../../src/db/migrations/20261128_0001_initial.js';
import * as byocInfrastructures from '../../src/db/migrations/20261201_0002_byoc_infrastructures.js';
import { GENESIS_HASH } from '../../src/domain/activities/activity-chain.js';
import { generateKeyPair, hashKeyPair } from '../../src/domain/keys/key-material.js';
import { systemRoleId } from '../../src/domain/roles/system-roles.js';
import { createTestDatabase, testBackends, type TestDatabase } from '../helpers/backends.js';
import { startServe, stopAllServers, type ServeProcess } from '../helpers/cli.js';
import { KeyApi, UNKNOWN_UUID } from '../helpers/key-api.js';
import { allow, assertError, RoleApi, VIEW, VIEW_KEYS } from '../helpers/role-api.js';
import { request, startTestServer, type Credentials, type TestServer } from '../helpers/server.js';
import { assertVendorShape } from '../helpers/vendor-schemas.js';

// API keys with assignedRoleIds (the current roles model), as clickhousectl and
// Terraform send them, next to the deprecated `roles`; and the migration that
// turned every existing key's deprecated roles into role assignments.

/** clickhousectl `key create`'s exact body. */
const CLICKHOUSECTL_CREATE = '{"assignedRoleIds":[],"ipAccessList":[{"source":"0.0.0.0/0","description":"Created by clickhousectl"}],"name":"ctl-key","state":"enabled"}';

for (const backend of testBackends()) {
  describe(`API keys with assignedRoleIds [${backend}]`, () => {
    let server: TestServer;
    let roles: RoleApi;
    let keys: KeyApi;
    let custom: any;
    let other: Credentials & { organizationId: string };

    before(async () => {
      server = await startTestServer({ backend });
      roles = new RoleApi(server, server.organizationId, server.admin);
      keys = new KeyApi(server);
      custom = await roles.create('Readers', [allow([VIEW, VIEW_KEYS])]);
      other = await server.bootstrap('Other organization');
    });
    after(() => server.close());

    const adminId = () => roles.systemRoleId('admin');
    const assigned = (...list: [string, string, 'system' | 'custom'][]) => list.map(([roleId, roleName, roleType]) => ({ roleId, roleName, roleType }));
    const createRaw = (body: unknown) => roles.createKeyRaw(body);
    const patchRaw = (id: string, body: unknown) => roles.call('PATCH', roles.keyPath(id), body);
    const keyActivities = async (before: any[], id: string) => (await keys.activitiesSince(before)).filter((a) => a.targetKeyId === id);

    it("accepts clickhousectl's exact create body: assignedRoles [] and roles []", async () => {
      const res = await request(server, 'POST', roles.keysPath, { auth: server.admin, rawBody: CLICKHOUSECTL_CREATE, headers: { 'content-type': 'application/json' } });
      assert.equal(res.status, 200, res.text);
      assertVendorShape('ApiKeyPostResponse', res.body.result);
      const { key, keyId, keySecret } = res.body.result;
      assert.ok(keyId && keySecret);
      assert.equal(key.name, 'ctl-key');
      assert.equal(key.state, 'enabled');
      assert.deepEqual(key.assignedRoles, []);
      assert.deepEqual(key.roles, []);
      assert.deepEqual(key.ipAccessList, [{ source: '0.0.0.0/0', description: 'Created by clickhousectl' }]);
      assert.deepEqual(Object.keys(key).sort(), ['assignedRoles', 'createdAt', 'expireAt', 'id', 'ipAccessList', 'keySuffix', 'name', 'roles', 'state']);
      assert.deepEqual(await roles.getKey(key.id), key);
      // It authenticates, and its roles give it nothing.
      assert.equal(await roles.status({ keyId, keySecret }, 'GET', roles.orgPath), 403);
    });

    it('creates a key with role IDs: assignedRoles lists them (roleId, roleName, roleType) and roles derives admin', async () => {
      const key = await roles.createKey({ name: 'with ids', assignedRoleIds: [custom.id, adminId().toUpperCase(), adminId()] });
      assert.deepEqual(key.key.assignedRoles, assigned([adminId(), 'Admin', 'system'], [custom.id, 'Readers', 'custom']));
      assert.deepEqual(key.key.roles, ['admin']);
      const fetched = await roles.getKey(key.id);
      assert.deepEqual(fetched, key.key);
      const listed = await keys.list();
      assertVendorShape('ApiKey', listed, { array: true });
      assert.deepEqual(listed.find((k) => k.id === key.id), key.key);
      // Both roles list the key as actor.
      assert.ok((await roles.get(adminId())).actors.includes(`apiKey/${key.id}`));
      assert.ok((await roles.get(custom.id)).actors.includes(`apiKey/${key.id}`));
    });

    it('derives every deprecated role from the system roles that carry it, in the vendor order', async () => {
      const key = await roles.createKey({ name: 'legacy mix', assignedRoleIds: [roles.systemRoleId('query_endpoints'), roles.systemRoleId('developer'), roles.systemRoleId('billing')] });
      assert.deepEqual(key.key.roles, ['developer', 'query_endpoints']);
      assert.deepEqual(
        key.key.assignedRoles,
        assigned([roles.systemRoleId('developer'), 'Developer', 'system'], [roles.systemRoleId('billing'), 'Billing', 'system'], [roles.systemRoleId('query_endpoints'), 'Query endpoints', 'system']),
      );
      const legacy = await roles.createKey({ name: 'legacy only', roles: ['query_endpoints', 'admin'] });
      assert.deepEqual(legacy.key.roles, ['admin', 'query_endpoints']);
      assert.deepEqual(legacy.key.assignedRoles, assigned([adminId(), 'Admin', 'system'], [roles.systemRoleId('query_endpoints'), 'Query endpoints', 'system']));
    });

    it("refuses an unknown role ID, or another organization's, with 400 naming assignedRoleIds[i]; nothing is created", async () => {
      const before = await keys.list();
      const otherCustom = await request(server, 'POST', `/v1/organizations/${other.organizationId}/roles`, { auth: other, body: { name: 'theirs', actors: [], policies: [] } });
      assert.equal(otherCustom.status, 200, otherCustom.text);
      assertError(await createRaw({ name: 'x', assignedRoleIds: [UNKNOWN_UUID] }), 400, "Invalid field 'assignedRoleIds[0]'");
      assertError(await createRaw({ name: 'x', assignedRoleIds: [custom.id, UNKNOWN_UUID] }), 400, "Invalid field 'assignedRoleIds[1]'");
      assertError(await createRaw({ name: 'x', assignedRoleIds: [otherCustom.body.result.id] }), 400, "Invalid field 'assignedRoleIds[0]'");
      assertError(await createRaw({ name: 'x', assignedRoleIds: [systemRoleId(other.organizationId, 'admin')] }), 400, "Invalid field 'assignedRoleIds[0]'");
      assertError(await createRaw({ name: 'x', assignedRoleIds: ['not-a-uuid'] }), 400, 'assignedRoleIds[0]');
      // The same on PATCH.
      const key = await roles.createKey({ name: 'patched with bad ids' });
      assertError(await patchRaw(key.id, { assignedRoleIds: [systemRoleId(other.organizationId, 'admin')] }), 400, "Invalid field 'assignedRoleIds[0]'");
      assertError(await patchRaw(key.id, { assignedRoleIds: [adminId(), UNKNOWN_UUID] }), 400, "Invalid field 'assignedRoleIds[1]'");
      assert.deepEqual((await roles.getKey(key.id)).assignedRoles, []);
      assert.deepEqual((await keys.list()).map((k) => k.id), [...before.map((k) => k.id), key.id]);
    });

    it('POST needs roles or assignedRoleIds (400 without either); both are accepted when they agree, 400 when they do not', async () => {
      assertError(await createRaw({ name: 'neither' }), 400, 'assignedRoleIds');
      const both = await createRaw({ name: 'both', roles: ['developer'], assignedRoleIds: [roles.systemRoleId('developer')] });
      assert.equal(both.status, 200, both.text);
      assertVendorShape('ApiKeyPostResponse', both.body.result);
      assert.deepEqual(both.body.result.key.roles, ['developer']);
      assert.deepEqual(both.body.result.key.assignedRoles, assigned([roles.systemRoleId('developer'), 'Developer', 'system']));
      const bothTwo = await createRaw({ name: 'both two', roles: ['admin', 'developer'], assignedRoleIds: [roles.systemRoleId('developer'), adminId().toUpperCase()] });
      assert.equal(bothTwo.status, 200, bothTwo.text);
      const before = await keys.list();
      assertError(await createRaw({ name: 'disagree', roles: ['developer'], assignedRoleIds: [adminId()] }), 400, "'roles' and 'assignedRoleIds'");
      assertError(await createRaw({ name: 'disagree', roles: ['developer'], assignedRoleIds: [] }), 400, "'roles' and 'assignedRoleIds'");
      assertError(await createRaw({ name: 'disagree', roles: ['developer'], assignedRoleIds: [roles.systemRoleId('developer'), custom.id] }), 400, "'roles' and 'assignedRoleIds'");
      assertError(await patchRaw(both.body.result.key.id, { roles: ['admin'], assignedRoleIds: [roles.systemRoleId('developer')] }), 400, "'roles' and 'assignedRoleIds'");
      assert.deepEqual(await keys.list(), before);
    });

    it('PATCH assignedRoleIds (clickhousectl key update --role-id) changes assignedRoles and records roles-v2-changed; the deprecated roles record role-changed; no change, no activity', async () => {
      const key = await roles.createKey({ name: 'updated', assignedRoleIds: [roles.systemRoleId('developer')] });
      let before = await keys.activities();
      const res = await patchRaw(key.id, { assignedRoleIds: [custom.id, adminId()] });
      assert.equal(res.status, 200, res.text);
      assertVendorShape('ApiKey', res.body.result);
      assert.deepEqual(res.body.result.assignedRoles, assigned([adminId(), 'Admin', 'system'], [custom.id, 'Readers', 'custom']));
      assert.deepEqual(res.body.result.roles, ['admin']);
      assert.deepEqual(await roles.getKey(key.id), res.body.result);
      let written = await keyActivities(before, key.id);
      assert.deepEqual(
        written.map((a) => ({ type: a.type, keyUpdateType: a.keyUpdateType, targetKeyId: a.targetKeyId, actorType: a.actorType })),
        [{ type: 'openapi_key_update', keyUpdateType: 'roles-v2-changed', targetKeyId: key.id, actorType: 'api' }],
      );
      assertVendorShape('Activity', written, { array: true });

      // The same assignment again (any order, any case): no change, no activity.
      before = await keys.activities();
      const same = await patchRaw(key.id, { assignedRoleIds: [adminId().toUpperCase(), custom.id] });
      assert.equal(same.status, 200, same.text);
      assert.deepEqual(same.body.result, res.body.result);
      assert.deepEqual(await keyActivities(before, key.id), []);

      // The deprecated roles: role-changed.
      before = await keys.activities();
      const legacy = await patchRaw(key.id, { roles: ['developer'] });
      assert.equal(legacy.status, 200, legacy.text);
      assertVendorShape('ApiKey', legacy.body.result);
      assert.deepEqual(legacy.body.result.roles, ['developer']);
      assert.deepEqual(legacy.body.result.assignedRoles, assigned([roles.systemRoleId('developer'), 'Developer', 'system']));
      written = await keyActivities(before, key.id);
      assert.deepEqual(written.map((a) => a.keyUpdateType), ['role-changed']);
      before = await keys.activities();
      assert.equal((await patchRaw(key.id, { roles: ['developer'] })).status, 200);
      assert.deepEqual(await keyActivities(before, key.id), []);

      // Together with other changes: one activity per kind of change.
      before = await keys.activities();
      const many = await patchRaw(key.id, { name: 'updated again', assignedRoleIds: [], state: 'disabled' });
      assert.equal(many.status, 200, many.text);
      assert.deepEqual(many.body.result.assignedRoles, []);
      assert.deepEqual(many.body.result.roles, []);
      assert.deepEqual((await keyActivities(before, key.id)).map((a) => a.keyUpdateType).sort(), ['name-changed', 'roles-v2-changed', 'state-changed']);
    });

    it('Terraform finds its own key by keySuffix in GET …/keys', async () => {
      const key = await roles.createKey({ name: 'terraform', assignedRoleIds: [adminId()] });
      const listed = await keys.list();
      assertVendorShape('ApiKey', listed, { array: true });
      const mine = listed.filter((k) => k.keySuffix === key.keyId.slice(-4));
      assert.ok(mine.length >= 1);
      const found = mine.find((k) => k.id === key.id);
      assert.deepEqual(found, key.key);
      // The key itself can list and find itself.
      const self = await roles.call('GET', roles.keysPath, undefined, key);
      assert.equal(self.status, 200);
      assert.ok(self.body.result.some((k: any) => k.id === key.id && k.keySuffix === key.keyId.slice(-4) && k.assignedRoles[0].roleId === adminId()));
    });

    it("deleting a key removes it from its roles' actors", async () => {
      const key = await roles.createKey({ name: 'deleted', assignedRoleIds: [custom.id, roles.systemRoleId('developer')] });
      const actor = `apiKey/${key.id}`;
      assert.ok((await roles.get(custom.id)).actors.includes(actor));
      assert.ok((await roles.get(roles.systemRoleId('developer'))).actors.includes(actor));
      const res = await keys.delete(key.id);
      assert.equal(res.status, 200, res.text);
      for (const role of await roles.list()) assert.equal(role.actors.includes(actor), false, role.name);
      assert.equal((await roles.call('GET', roles.keyPath(key.id))).status, 404);
      assert.equal(await roles.status(key, 'GET', roles.orgPath), 401);
    });
  });

  describe(`a database migrated from 20261201_0002 keeps every key's access [${backend}]`, () => {
    let testDb: TestDatabase;
    let serve: ServeProcess;
    const issued: Record<string, Credentials & { id: string; organizationId: string; roles: string[] }> = {};

    before(async () => {
      testDb = await createTestDatabase(backend);
      const handle = openDatabase(testDb.url);
      // The schema as it was before roles: migrations 0001 and 0002 only.
      const migrations: Record<string, Migration> = { '20261128_0001_initial': initial, '20261201_0002_byoc_infrastructures': byocInfrastructures };
      const migrator = new Migrator({ db: handle.db, provider: { getMigrations: async () => migrations } });
      const { error } = await migrator.migrateTo('20261201_0002_byoc_infrastructures');
      assert.equal(error, undefined);
      const db = handle.db as unknown as Kysely<any>;
      const organizations = [randomUUID(), randomUUID()];
      for (const id of organizations) {
        await db.insertInto('organizations').values({ id, name: `legacy ${id.slice(0, 4)}`, created_at: new Date().toISOString(), enable_core_dumps: 0, version: 0, activity_seq: 0, activity_hash: GENESIS_HASH }).execute();
      }
      const legacyKeys: [string, string, string[]][] = [
        ['admin', organizations[0]!, ['admin']],
        ['developer', organizations[0]!, ['developer']],
        ['query', organizations[0]!, ['query_endpoints']],
        ['mixed', organizations[0]!, ['developer', 'query_endpoints']],
        ['other admin', organizations[1]!, ['admin']],
      ];
      for (const [name, organizationId, keyRoles] of legacyKeys) {
        const pair = generateKeyPair();
        const hashed = hashKeyPair(pair);
        const id = randomUUID();
        await db
          .insertInto('api_keys')
          .values({
            id,
            organization_id: organizationId,
            name,
            key_id_hash: hashed.keyIdHash,
            key_id_suffix: hashed.keyIdSuffix,
            key_secret_hash: hashed.keySecretHash,
            roles: JSON.stringify(keyRoles),
            state: 'enabled',
            created_at: new Date().toISOString(),
            expire_at: null,
            used_at: null,
            ip_access_list: '[]',
          })
          .execute();
        issued[name] = { ...pair, id, organizationId, roles: keyRoles };
      }
      await migrateToLatest(handle);
      await handle.close();
      serve = await startServe(['--database', testDb.url, '--rate-limit', 'off']);
    });
    after(async () => {
      await serve?.stop();
      await stopAllServers();
      await testDb.drop();
    });

    const status = async (name: string, method: string, path: (org: string) => string, body?: unknown) => {
      const key = issued[name]!;
      return (await request(serve, method, path(key.organizationId), body === undefined ? { auth: key } : { auth: key, body })).status;
    };
    const org = (id: string) => `/v1/organizations/${id}`;
    const keysOf = (id: string) => `/v1/organizations/${id}/keys`;

    it('lists each key with its deprecated roles and the system roles carrying them', async () => {
      const admin = issued.admin!;
      const res = await request(serve, 'GET', keysOf(admin.organizationId), { auth: admin });
      assert.equal(res.status, 200, res.text);
      assertVendorShape('ApiKey', res.body.result, { array: true });
      const names = { admin: 'Admin', developer: 'Developer', query_endpoints: 'Query endpoints' } as Record<string, string>;
      for (const name of ['admin', 'developer', 'query', 'mixed']) {
        const key = issued[name]!;
        const listed = res.body.result.find((k: any) => k.id === key.id);
        assert.deepEqual(listed.roles, key.roles, name);
        assert.deepEqual(
          listed.assignedRoles,
          key.roles.map((r) => ({ roleId: systemRoleId(key.organizationId, r as 'admin'), roleName: names[r], roleType: 'system' })),
          name,
        );
      }
      assert.equal(res.body.result.some((k: any) => k.id === issued['other admin']!.id), false);
    });

    it('admin keys still do everything, developer keys only read, query_endpoints keys nothing', async () => {
      for (const name of ['admin', 'other admin']) {
        assert.equal(await status(name, 'GET', org), 200, name);
        assert.equal(await status(name, 'PATCH', org, {}), 200, name);
        assert.equal(await status(name, 'GET', keysOf), 200, name);
        assert.equal(await status(name, 'GET', (id) => `${org(id)}/roles`), 200, name);
      }
      for (const name of ['developer', 'mixed']) {
        assert.equal(await status(name, 'GET', org), 200, name);
        assert.equal(await status(name, 'GET', (id) => `${org(id)}/activities`), 200, name);
        assert.equal(await status(name, 'PATCH', org, {}), 403, name);
        assert.equal(await status(name, 'GET', keysOf), 403, name);
      }
      assert.equal(await status('query', 'GET', org), 403);
      assert.equal(await status('query', 'GET', keysOf), 403);
      assert.equal(await status('query', 'GET', () => '/v1/organizations'), 403);
      // Each organization's admin only reaches its own.
      const admin = issued.admin!;
      assert.equal((await request(serve, 'GET', org(issued['other admin']!.organizationId), { auth: admin })).status, 403);
    });
  });
}
