import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { systemClock } from '../../src/clock.js';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { bootstrapOrganization } from '../../src/domain/bootstrap.js';
import { createDomain } from '../../src/domain/create-domain.js';
import { createTestDatabase, testBackends, type TestDatabase } from '../helpers/backends.js';
import { startServe, stopAllServers, type ServeProcess } from '../helpers/cli.js';
import { KEY_CACHE_BOUND_MS } from '../helpers/key-cache.js';
import { allow, assertError, CREATE_KEYS, DELETE_KEYS, deny, MANAGE, RoleApi, UPDATE_KEYS, VIEW, VIEW_KEYS, type IssuedRoleKey } from '../helpers/role-api.js';
import { startTestServer, type Credentials, type TestServer } from '../helpers/server.js';
import { eventually } from '../helpers/wait.js';

// Authorization through roles, end to end: what a key's roles let it call,
// DENY, keys with no or powerless roles, how fast role changes take effect (on
// this instance and on another one on the same database), the no-escalation
// rule, and the deprecated key roles.

type Probe = [method: string, path: string, body?: unknown];

/** One request per permission the API checks, each harmless when allowed (or refused for other reasons than access). */
function probes(roles: RoleApi): Record<string, Probe> {
  return {
    'GET organizations': ['GET', '/v1/organizations'],
    'GET organization': ['GET', roles.orgPath],
    'PATCH organization': ['PATCH', roles.orgPath, {}],
    'GET activities': ['GET', `${roles.orgPath}/activities`],
    'GET keys': ['GET', roles.keysPath],
    'POST keys': ['POST', roles.keysPath, { name: 'probe', assignedRoleIds: [] }],
    'PATCH key': ['PATCH', roles.keyPath('00000000-0000-4000-8000-000000000000'), {}],
    'DELETE key': ['DELETE', roles.keyPath('00000000-0000-4000-8000-000000000000')],
    'GET roles': ['GET', roles.rolesPath],
    'POST roles': ['POST', roles.rolesPath, { name: 'Admin', actors: [], policies: [] }],
    'PATCH role': ['PATCH', roles.rolePath('00000000-0000-4000-8000-000000000000'), {}],
    'DELETE role': ['DELETE', roles.rolePath('00000000-0000-4000-8000-000000000000')],
  };
}

/** The status of every probe for one key. Allowed probes answer 200, 400, 404 or 409, never 403. */
async function statuses(roles: RoleApi, key: Credentials): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const [name, [method, path, body]] of Object.entries(probes(roles))) result[name] = await roles.status(key, method, path, body);
  return result;
}

/** Which probes a key may call (anything but a 403), and asserts nothing answered 401. */
async function allowed(roles: RoleApi, key: Credentials): Promise<string[]> {
  const all = await statuses(roles, key);
  for (const [name, status] of Object.entries(all)) assert.notEqual(status, 401, `${name} answered 401`);
  return Object.entries(all)
    .filter(([, status]) => status !== 403)
    .map(([name]) => name);
}

const EVERYTHING = ['GET organizations', 'GET organization', 'PATCH organization', 'GET activities', 'GET keys', 'POST keys', 'PATCH key', 'DELETE key', 'GET roles', 'POST roles', 'PATCH role', 'DELETE role'];
const READ_ONLY = ['GET organizations', 'GET organization', 'GET activities', 'GET roles'];

for (const backend of testBackends()) {
  describe(`authorization through roles [${backend}]`, () => {
    let server: TestServer;
    let roles: RoleApi;
    const ORG = () => `organization/${server.organizationId}`;

    before(async () => {
      server = await startTestServer({ backend });
      roles = new RoleApi(server, server.organizationId, server.admin);
    });
    after(() => server.close());

    it('a custom role granting only organization:view reads the organization, and gets 403 on PATCH and on the keys; adding view-api-keys lets it list keys', async () => {
      const role = await roles.create('Viewer', [allow([VIEW], [ORG()])]);
      const key = await roles.keyWithRoles([role.id]);
      assert.equal(await roles.status(key, 'GET', roles.orgPath), 200);
      assert.equal(await roles.status(key, 'GET', '/v1/organizations'), 200);
      const patch = await roles.call('PATCH', roles.orgPath, { name: 'taken over' }, key);
      assertError(patch, 403, "do not grant the permission 'control-plane:organization:manage'");
      assertError(await roles.call('GET', roles.keysPath, undefined, key), 403, "'control-plane:organization:view-api-keys'");
      assert.deepEqual(await allowed(roles, key), READ_ONLY);

      // The role change takes effect at once on this instance.
      await roles.patch(role.id, { policies: [allow([VIEW, VIEW_KEYS], [ORG()])] });
      assert.equal(await roles.status(key, 'GET', roles.keysPath), 200);
      assert.equal(await roles.status(key, 'GET', roles.keyPath(key.id)), 200);
      assert.deepEqual(await allowed(roles, key), [...READ_ONLY, 'GET keys'].sort((a, b) => EVERYTHING.indexOf(a) - EVERYTHING.indexOf(b)));
      assert.equal((await roles.call('GET', roles.orgPath)).body.result.name, 'Test organization');
    });

    it('DENY wins: a DENY in one role takes away what another of its roles ALLOWs', async () => {
      const readers = await roles.create('Key readers', [allow([VIEW, VIEW_KEYS], ['*'])]);
      const noKeys = await roles.create('No keys', [deny([VIEW_KEYS], [ORG()])]);
      const key = await roles.keyWithRoles([readers.id, noKeys.id]);
      assert.equal(await roles.status(key, 'GET', roles.orgPath), 200);
      assertError(await roles.call('GET', roles.keysPath, undefined, key), 403, 'view-api-keys');
      // Whatever the resource form: a DENY on organization/* or * as well.
      await roles.patch(noKeys.id, { policies: [deny([VIEW_KEYS], ['organization/*'])] });
      assert.equal(await roles.status(key, 'GET', roles.keysPath), 403);
      await roles.patch(noKeys.id, { policies: [deny([VIEW_KEYS, VIEW], ['*'])] });
      assert.equal(await roles.status(key, 'GET', roles.orgPath), 403);
      // A DENY on instances only takes nothing away from the organization.
      await roles.patch(noKeys.id, { policies: [deny([VIEW_KEYS, VIEW], ['instance/*'])] });
      assert.equal(await roles.status(key, 'GET', roles.keysPath), 200);
      // Even the Admin system role loses what a DENY names.
      const admin = await roles.keyWithRoles([roles.systemRoleId('admin'), noKeys.id]);
      await roles.patch(noKeys.id, { policies: [deny([MANAGE], [ORG()])] });
      assert.equal(await roles.status(admin, 'PATCH', roles.orgPath, {}), 403);
      assert.equal(await roles.status(admin, 'GET', roles.keysPath), 200);
    });

    it('a key created with assignedRoleIds [] authenticates and gets 403 on everything', async () => {
      const key = await roles.createKey({ name: 'no roles', assignedRoleIds: [] });
      assert.deepEqual(key.key.assignedRoles, []);
      assert.deepEqual(key.key.roles, []);
      const all = await statuses(roles, key);
      assert.deepEqual(Object.values(all), EVERYTHING.map(() => 403), JSON.stringify(all));
      // 403, not the 401 of a wrong secret.
      assert.equal(await roles.status({ keyId: key.keyId, keySecret: `${key.keySecret}x` }, 'GET', '/v1/organizations'), 401);
    });

    it('a key with the Member system role (or Query endpoints) gets 403 everywhere', async () => {
      for (const code of ['member', 'query_endpoints'] as const) {
        const key = await roles.keyWithRoles([roles.systemRoleId(code)]);
        assert.deepEqual(await allowed(roles, key), [], code);
      }
    });

    it('assignment changes take effect at once on this instance: role actors and key assignedRoleIds', async () => {
      const role = await roles.create('Assigned later', [allow([VIEW], [ORG()])]);
      const key = await roles.keyWithRoles([]);
      assert.equal(await roles.status(key, 'GET', roles.orgPath), 403);
      await roles.patch(role.id, { actors: [`apiKey/${key.id}`] });
      assert.equal(await roles.status(key, 'GET', roles.orgPath), 200);
      await roles.patch(role.id, { actors: [] });
      assert.equal(await roles.status(key, 'GET', roles.orgPath), 403);
      assert.equal((await roles.call('PATCH', roles.keyPath(key.id), { assignedRoleIds: [role.id] })).status, 200);
      assert.equal(await roles.status(key, 'GET', roles.orgPath), 200);
      assert.equal((await roles.call('PATCH', roles.keyPath(key.id), { assignedRoleIds: [roles.systemRoleId('admin')] })).status, 200);
      assert.deepEqual(await allowed(roles, key), EVERYTHING);
      assert.equal((await roles.call('PATCH', roles.keyPath(key.id), { roles: ['developer'] })).status, 200);
      assert.deepEqual(await allowed(roles, key), READ_ONLY);
      assert.equal((await roles.call('PATCH', roles.keyPath(key.id), { assignedRoleIds: [] })).status, 200);
      assert.deepEqual(await allowed(roles, key), []);
    });

    describe('no privilege escalation', () => {
      const KEY_MANAGER = [VIEW, MANAGE, VIEW_KEYS, CREATE_KEYS, UPDATE_KEYS];
      let manager: IssuedRoleKey;
      let managerRole: any;
      let powerful: any;
      let victim: IssuedRoleKey;

      before(async () => {
        managerRole = await roles.create('Key manager', [allow(KEY_MANAGER, ['*'])]);
        manager = await roles.keyWithRoles([managerRole.id], 'key manager');
        powerful = await roles.create('Key deleter', [allow([VIEW, DELETE_KEYS], [ORG()])]);
        victim = await roles.keyWithRoles([], 'victim');
      });

      const asManager = (method: string, path: string, body?: unknown) => roles.call(method, path, body, manager);
      const state = async () => ({ roles: await roles.list(), keys: (await roles.call('GET', roles.keysPath)).body.result.map(({ usedAt: _u, ...k }: any) => k) });

      it('the key manager may do what its role covers: a role within its own grants, keys with its own role', async () => {
        const sub = await asManager('POST', roles.rolesPath, { name: 'Viewer (by manager)', actors: [`apiKey/${victim.id}`], policies: [allow([VIEW], [ORG()])] });
        assert.equal(sub.status, 200, sub.text);
        const same = await asManager('POST', roles.rolesPath, { name: 'Same as manager', actors: [], policies: [allow(KEY_MANAGER, ['*'])] });
        assert.equal(same.status, 200, same.text);
        // A DENY of anything is never an escalation.
        const denies = await asManager('POST', roles.rolesPath, { name: 'Denies (by manager)', actors: [], policies: [deny([DELETE_KEYS, 'control-plane:support:manage'], ['*'])] });
        assert.equal(denies.status, 200, denies.text);
        const key = await asManager('POST', roles.keysPath, { name: 'made by manager', assignedRoleIds: [managerRole.id] });
        assert.equal(key.status, 200, key.text);
        assert.equal((await asManager('PATCH', roles.keyPath(victim.id), { assignedRoleIds: [sub.body.result.id] })).status, 200);
        assert.equal((await asManager('PATCH', roles.keyPath(victim.id), { assignedRoleIds: [] })).status, 200);
        // But it may not delete keys.
        assertError(await asManager('DELETE', roles.keyPath(key.body.result.key.id)), 403, 'delete-api-keys');
      });

      it('refuses (403) every way to grant delete-api-keys, and changes nothing', async () => {
        const before = await state();
        const refusals: [string, Promise<any>][] = [
          ['create a role granting it', asManager('POST', roles.rolesPath, { name: 'Escalate', actors: [], policies: [allow([VIEW, DELETE_KEYS], [ORG()])] })],
          ['create a role granting it to itself', asManager('POST', roles.rolesPath, { name: 'Escalate 2', actors: [`apiKey/${manager.id}`], policies: [allow([DELETE_KEYS], ['*'])] })],
          ['create a role granting a service permission it lacks', asManager('POST', roles.rolesPath, { name: 'Escalate 3', actors: [], policies: [allow(['control-plane:service:manage'], ['*'])] })],
          ['PATCH its own role to add it', asManager('PATCH', roles.rolePath(managerRole.id), { policies: [allow([...KEY_MANAGER, DELETE_KEYS], ['*'])] })],
          ['PATCH its own role with a second policy adding it', asManager('PATCH', roles.rolePath(managerRole.id), { policies: [allow(KEY_MANAGER, ['*']), allow([DELETE_KEYS], [ORG()])] })],
          ['add itself as actor of a role that has it', asManager('PATCH', roles.rolePath(powerful.id), { actors: [`apiKey/${manager.id}`] })],
          ['add another key as actor of a role that has it', asManager('PATCH', roles.rolePath(powerful.id), { actors: [`apiKey/${victim.id}`] })],
          ['assign Admin to itself via key PATCH assignedRoleIds', asManager('PATCH', roles.keyPath(manager.id), { assignedRoleIds: [managerRole.id, roles.systemRoleId('admin')] })],
          ['assign Admin to another key via key PATCH assignedRoleIds', asManager('PATCH', roles.keyPath(victim.id), { assignedRoleIds: [roles.systemRoleId('admin')] })],
          ['assign admin via the deprecated roles on key PATCH', asManager('PATCH', roles.keyPath(victim.id), { roles: ['admin'] })],
          ['assign a custom role that has it via key PATCH', asManager('PATCH', roles.keyPath(victim.id), { assignedRoleIds: [powerful.id] })],
          ['create a key with assignedRoleIds [Admin]', asManager('POST', roles.keysPath, { name: 'escalated', assignedRoleIds: [roles.systemRoleId('admin')] })],
          ['create a key with the deprecated roles ["admin"]', asManager('POST', roles.keysPath, { name: 'escalated', roles: ['admin'] })],
          ['create a key with a custom role that has it', asManager('POST', roles.keysPath, { name: 'escalated', assignedRoleIds: [managerRole.id, powerful.id] })],
        ];
        for (const [what, pending] of refusals) {
          const res = await pending;
          assert.equal(res.status, 403, `${what}: ${res.text}`);
          assert.match(res.body.error, /which this API key does not hold itself/, what);
        }
        // A system role's actors are held to the same rule as assignedRoleIds.
        const admins = (await roles.get(roles.systemRoleId('admin'))).actors;
        assertError(await asManager('PATCH', roles.rolePath(roles.systemRoleId('admin')), { actors: [...admins, `apiKey/${manager.id}`] }), 403, 'which this API key does not hold itself');
        assert.deepEqual(await state(), before);
        assertError(await asManager('DELETE', roles.keyPath(victim.id)), 403, 'delete-api-keys');
      });

      it('an admin key can do all of these', async () => {
        const escalate = await roles.createRaw({ name: 'Escalate (admin)', actors: [`apiKey/${victim.id}`], policies: [allow([VIEW, DELETE_KEYS], [ORG()])] });
        assert.equal(escalate.status, 200, escalate.text);
        await roles.patch(powerful.id, { actors: [`apiKey/${victim.id}`] });
        const widened = await roles.create('Widened by admin', [allow(KEY_MANAGER, ['*'])]);
        await roles.patch(widened.id, { policies: [allow([...KEY_MANAGER, DELETE_KEYS], ['*'])] });
        for (const body of [{ assignedRoleIds: [roles.systemRoleId('admin')] }, { roles: ['admin'] }, { assignedRoleIds: [powerful.id] }]) {
          const res = await roles.call('PATCH', roles.keyPath(victim.id), body);
          assert.equal(res.status, 200, res.text);
        }
        await roles.createKey({ name: 'admin made', assignedRoleIds: [roles.systemRoleId('admin')] });
        await roles.createKey({ name: 'admin made legacy', roles: ['admin'] });
        await roles.createKey({ name: 'admin made custom', assignedRoleIds: [managerRole.id, powerful.id] });
        // The manager, once given delete-api-keys by the admin, may pass it on.
        await roles.patch(managerRole.id, { policies: [allow([...KEY_MANAGER, DELETE_KEYS], ['*'])] });
        const now = await asManager('POST', roles.rolesPath, { name: 'Escalate (now held)', actors: [], policies: [allow([DELETE_KEYS], [ORG()])] });
        assert.equal(now.status, 200, now.text);
        // …but still not Admin.
        assertError(await asManager('POST', roles.keysPath, { name: 'escalated', roles: ['admin'] }), 403, 'does not hold itself');
      });

      it('a key cannot lift a DENY that holds it back (nor one it does not hold itself): policies, actors, the role, its own assignment', async () => {
        const base = await roles.create('Base (deny test)', [allow([VIEW, MANAGE, VIEW_KEYS, CREATE_KEYS, UPDATE_KEYS], ['*'])]);
        const denial = await roles.create('No key creation', [deny([CREATE_KEYS], ['*'])]);
        const held = await roles.keyWithRoles([base.id, denial.id], 'held back');
        const other = await roles.keyWithRoles([denial.id], 'also held back');
        assert.equal(await roles.status(held, 'POST', roles.keysPath, { name: 'nope', assignedRoleIds: [] }), 403, 'the DENY wins');
        const before = await state();
        const attempts: [string, Promise<any>][] = [
          ['PATCH the DENY role to drop its policy', roles.call('PATCH', roles.rolePath(denial.id), { policies: [] }, held)],
          ['PATCH the DENY role to narrow it', roles.call('PATCH', roles.rolePath(denial.id), { policies: [deny([CREATE_KEYS], ['instance/*'])] }, held)],
          ['remove itself from the DENY role', roles.call('PATCH', roles.rolePath(denial.id), { actors: [`apiKey/${other.id}`] }, held)],
          ['remove another key from the DENY role', roles.call('PATCH', roles.rolePath(denial.id), { actors: [`apiKey/${held.id}`] }, held)],
          ['delete the DENY role', roles.call('DELETE', roles.rolePath(denial.id), undefined, held)],
          ['drop the DENY role from its own key', roles.call('PATCH', roles.keyPath(held.id), { assignedRoleIds: [base.id] }, held)],
          ['drop the DENY role from another key', roles.call('PATCH', roles.keyPath(other.id), { assignedRoleIds: [] }, held)],
        ];
        for (const [what, pending] of attempts) {
          const res = await pending;
          assert.equal(res.status, 403, `${what}: ${res.text}`);
          assert.match(res.body.error, /would lift the DENY of 'control-plane:organization:create-api-keys'/, what);
        }
        assert.deepEqual(await state(), before, 'nothing changed');
        // Renaming the role or adding a holder lifts nothing; an admin may lift it.
        assert.equal((await roles.call('PATCH', roles.rolePath(denial.id), { name: 'No key creation (renamed)' }, held)).status, 200);
        await roles.patch(denial.id, { actors: [`apiKey/${other.id}`] });
        assert.equal(await roles.status(held, 'POST', roles.keysPath, { name: 'now allowed', assignedRoleIds: [] }), 200);
      });
    });

    describe('deprecated key roles behave as before', () => {
      it('roles ["admin"] can do everything', async () => {
        const key = await roles.createKey({ name: 'legacy admin', roles: ['admin'] });
        assert.deepEqual(await allowed(roles, key), EVERYTHING);
      });
      it('roles ["developer"] only reads (organization, activities, roles; no keys)', async () => {
        const key = await roles.createKey({ name: 'legacy developer', roles: ['developer'] });
        assert.deepEqual(await allowed(roles, key), READ_ONLY);
      });
      it('roles ["query_endpoints"] get 403 on everything', async () => {
        const key = await roles.createKey({ name: 'legacy query endpoints', roles: ['query_endpoints'] });
        assert.deepEqual(await allowed(roles, key), []);
      });
      it('the bootstrap admin key (migrated to the Admin role) can do everything', async () => {
        const other = await server.bootstrap('Bootstrapped', 'developer');
        const otherRoles = new RoleApi(server, other.organizationId, other);
        assert.deepEqual(await allowed(otherRoles, other), READ_ONLY);
        assert.deepEqual(await allowed(roles, server.admin), EVERYTHING);
      });
    });
  });

  describe(`role changes reach another instance on the same database within the key cache bound [${backend}]`, () => {
    let testDb: TestDatabase;
    let instances: ServeProcess[] = [];
    let a: RoleApi;
    let b: RoleApi;

    before(async () => {
      testDb = await createTestDatabase(backend);
      const handle = openDatabase(testDb.url);
      await migrateToLatest(handle);
      const boot = await bootstrapOrganization(createDomain(handle, systemClock), { organizationName: 'shared', keyName: 'boot', role: 'admin' }, 'bootstrap');
      await handle.close();
      instances = [];
      for (let i = 0; i < 2; i++) instances.push(await startServe(['--database', testDb.url, '--rate-limit', 'off']));
      a = new RoleApi(instances[0]!, boot.organizationId, boot);
      b = new RoleApi(instances[1]!, boot.organizationId, boot);
    });
    after(async () => {
      await Promise.all(instances.map((i) => i.stop()));
      await stopAllServers();
      await testDb.drop();
    });

    /** Waits until instance `api` answers `expected` to the key's request, within the bound. */
    const reaches = (api: RoleApi, key: Credentials, method: string, path: string, expected: number) =>
      eventually(async () => (await api.status(key, method, path, method === 'PATCH' ? {} : undefined)) === expected, KEY_CACHE_BOUND_MS);

    it('a role PATCH, an actor change, a key assignment and a role delete on A take effect on A at once and on B within the bound', async () => {
      const role = await a.create('Shared viewer', [allow([VIEW])]);
      const key = await a.keyWithRoles([role.id]);
      // B has verified (and cached) the key.
      assert.equal(await b.status(key, 'GET', b.orgPath), 200);
      assert.equal(await b.status(key, 'GET', b.keysPath), 403);

      await a.patch(role.id, { policies: [allow([VIEW, VIEW_KEYS])] });
      assert.equal(await a.status(key, 'GET', a.keysPath), 200, 'at once on A');
      assert.ok(await reaches(b, key, 'GET', b.keysPath, 200), 'the widened role reaches B');

      await a.patch(role.id, { actors: [] });
      assert.equal(await a.status(key, 'GET', a.orgPath), 403, 'at once on A');
      assert.ok(await reaches(b, key, 'GET', b.orgPath, 403), 'the removed assignment reaches B');

      const patched = await a.call('PATCH', a.keyPath(key.id), { assignedRoleIds: [role.id] });
      assert.equal(patched.status, 200, patched.text);
      assert.equal(await a.status(key, 'GET', a.orgPath), 200, 'at once on A');
      assert.ok(await reaches(b, key, 'GET', b.orgPath, 200), 'the key assignment reaches B');

      assert.equal((await a.deleteRaw(role.id)).status, 200);
      assert.equal(await a.status(key, 'GET', a.orgPath), 403, 'at once on A');
      assert.ok(await reaches(b, key, 'GET', b.orgPath, 403), 'the deleted role reaches B');
    });

    it('a change made on B reaches A within the bound too, and a DENY added on B wins on A', async () => {
      const role = await b.create('Shared admin-ish', [allow([VIEW, MANAGE])]);
      const key = await b.keyWithRoles([role.id]);
      assert.equal(await a.status(key, 'PATCH', a.orgPath, {}), 200);
      const denyRole = await b.create('Shared deny', [deny([MANAGE], ['*'])], [`apiKey/${key.id}`]);
      assert.equal(await b.status(key, 'PATCH', b.orgPath, {}), 403, 'at once on B');
      assert.ok(await reaches(a, key, 'PATCH', a.orgPath, 403), 'the DENY reaches A');
      assert.equal(await a.status(key, 'GET', a.orgPath), 200);
      assert.ok(denyRole.id);
    });
  });
}
