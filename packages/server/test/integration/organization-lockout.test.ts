import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { systemClock } from '../../src/clock.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { systemActor } from '../../src/domain/actor.js';
import { bootstrapOrganization } from '../../src/domain/bootstrap.js';
import { createDomain } from '../../src/domain/create-domain.js';
import { addKey } from '../../src/domain/keys/key.service.js';
import { addMember } from '../../src/domain/members/member.service.js';
import { PERMISSIONS } from '../../src/vocabulary/permissions.js';
import { createTestDatabase, describeUnless, postgresSkipReason, testBackends, type TestDatabase } from '../helpers/backends.js';
import { runCli, startServe, stopAllServers, type ServeProcess } from '../helpers/cli.js';
import { allow, assertError, deny, MANAGE, RoleApi, UPDATE_KEYS, VIEW, VIEW_KEYS, DELETE_KEYS, type IssuedRoleKey } from '../helpers/role-api.js';
import { request, startTestServer, type Credentials, type TestServer } from '../helpers/server.js';

// Issue 23: nobody below Admin can take the organization away. (1) Taking a
// permission away from a key (its roles, a DENY, its state, allow list or
// expiry, deleting it or a role it holds) needs holding that permission, the
// mirror of no-escalation. (2) The organization keeps a working Admin key
// (enabled, unexpired, every organization permission, no DENY), whoever asks,
// under concurrent requests and across instances. The operator CLI stays the
// way back in.

const EVERY_PERMISSION = [...PERMISSIONS];
const LOCKED_OUT = /without a working Admin key/;
const TRIALS = 10;
const HOUR_LATER = () => new Date(Date.now() + 3_600_000).toISOString();

/** Every key and role of the organization as the admin reads them (usedAt aside): what a refusal must leave unchanged. */
async function state(api: RoleApi): Promise<unknown> {
  const keys = (await api.call('GET', api.keysPath)).body.result.map(({ usedAt: _u, ...k }: any) => k);
  return { keys, roles: await api.list() };
}

for (const backend of testBackends()) {
  describe(`the organization keeps a working Admin key [${backend}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ backend });
    });
    after(() => server.close());

    /** A fresh organization whose only key is its bootstrap Admin key. */
    async function organization(name: string): Promise<RoleApi> {
      const boot = await server.bootstrap(name);
      return new RoleApi(server, boot.organizationId, boot);
    }
    const adminKeyId = async (api: RoleApi): Promise<string> => (await api.call('GET', api.keysPath)).body.result[0].id;

    it('a key with only update-api-keys and view-api-keys cannot demote, disable, restrict, expire or delete the only Admin key (403), and the Admin key keeps everything', async () => {
      const api = await organization('Key manager takeover');
      const adminId = await adminKeyId(api);
      const managers = await api.create('Key managers', [allow([UPDATE_KEYS, VIEW_KEYS])]);
      const manager = await api.keyWithRoles([managers.id], 'manager');
      const deleters = await api.create('Key deleters', [allow([DELETE_KEYS, VIEW_KEYS])]);
      const deleter = await api.keyWithRoles([deleters.id], 'deleter');
      const before = await state(api);
      const attempts: [string, string, string, unknown, IssuedRoleKey][] = [
        ['assignedRoleIds to Member', 'PATCH', api.keyPath(adminId), { assignedRoleIds: [api.systemRoleId('member')] }, manager],
        ['assignedRoleIds to none', 'PATCH', api.keyPath(adminId), { assignedRoleIds: [] }, manager],
        ['disable', 'PATCH', api.keyPath(adminId), { state: 'disabled' }, manager],
        ['an allow list that excludes every caller', 'PATCH', api.keyPath(adminId), { ipAccessList: [{ source: '192.0.2.1' }] }, manager],
        ['an expiry', 'PATCH', api.keyPath(adminId), { expireAt: HOUR_LATER() }, manager],
        ['delete', 'DELETE', api.keyPath(adminId), undefined, deleter],
      ];
      for (const [what, method, path, body, key] of attempts) {
        const res = await api.call(method, path, body, key);
        assertError(res, 403, /would take away 'control-plane:[a-z-:]+' on '\*', which this API key does not hold itself/);
      }
      assert.deepEqual(await state(api), before, 'nothing changed');
      // The manager may still do what takes nothing it lacks: stop a key holding no more than it does.
      const peer = await api.keyWithRoles([managers.id], 'peer');
      assert.equal((await api.call('PATCH', api.keyPath(peer.id), { state: 'disabled' }, manager)).status, 200);
      assert.equal((await api.call('PATCH', api.keyPath(peer.id), { state: 'enabled', expireAt: HOUR_LATER(), ipAccessList: [{ source: '127.0.0.1' }] }, manager)).status, 200);
      // The Admin key still does everything, and can undo anything.
      assert.equal(await api.status(api.admin, 'PATCH', api.orgPath, { name: 'still mine' }), 200);
      assert.equal((await api.call('PATCH', api.keyPath(manager.id), { state: 'disabled' })).status, 200);
    });

    it('a key with only view and manage cannot make the Admin key hold a DENY of everything: not by creating a role, nor by adding the Admin key to one, nor by widening a DENY role it holds', async () => {
      const api = await organization('Deny takeover');
      const adminId = await adminKeyId(api);
      const managers = await api.create('Managers', [allow([VIEW, MANAGE])]);
      const manager = await api.keyWithRoles([managers.id], 'manager');
      // A DENY nobody holds takes nothing away: allowed, as before.
      const denyAll = await api.call('POST', api.rolesPath, { name: 'Deny all (unheld)', actors: [], policies: [deny(EVERY_PERMISSION)] }, manager);
      assert.equal(denyAll.status, 200, denyAll.text);
      const held = await api.create('Deny little (held)', [deny(['control-plane:service:manage'], ['instance/*'])], [`apiKey/${adminId}`]);
      const before = await state(api);
      const attempts: [string, string, string, unknown][] = [
        ['create a role denying everything with the Admin key as actor', 'POST', api.rolesPath, { name: 'Lockout', actors: [`apiKey/${adminId}`], policies: [deny(EVERY_PERMISSION)] }],
        ['add the Admin key to the DENY role', 'PATCH', api.rolePath(denyAll.body.result.id), { actors: [`apiKey/${adminId}`] }],
        ['widen a DENY role the Admin key holds', 'PATCH', api.rolePath(held.id), { policies: [deny(['control-plane:service:manage'], ['instance/*']), deny(EVERY_PERMISSION)] }],
      ];
      for (const [what, method, path, body] of attempts) {
        const res = await api.call(method, path, body, manager);
        assert.equal(res.status, 403, `${what}: ${res.text}`);
        assert.match(res.body.error, /would take away '[^']+' on '\*', which this API key does not hold itself/, what);
      }
      assert.deepEqual(await state(api), before, 'nothing changed');
      assert.equal(await api.status(api.admin, 'GET', api.keysPath), 200);
      assert.equal(await api.status(api.admin, 'PATCH', api.orgPath, {}), 200);
    });

    it('an Admin key with a DENY on instances still holds the organization: a key lacking that cannot stop it; members lose roles only to a key holding them', async () => {
      const api = await organization('Narrower holdings');
      const adminId = await adminKeyId(api);
      const second = await api.keyWithRoles([api.systemRoleId('admin')], 'second admin');
      await api.create('No instances', [deny(EVERY_PERMISSION, ['instance/*'])], [`apiKey/${second.id}`]);
      const stoppers = await api.create('Key stoppers', [allow([VIEW_KEYS, UPDATE_KEYS, DELETE_KEYS])]);
      const stopper = await api.keyWithRoles([stoppers.id], 'stopper');
      assertError(await api.call('PATCH', api.keyPath(second.id), { state: 'disabled' }, stopper), 403, "would take away 'control-plane:organization:view' on 'organization/*'");
      assertError(await api.call('DELETE', api.keyPath(second.id), undefined, stopper), 403, 'would take away');
      // Members: a key with view and manage may not take Admin from a member, nor remove one holding it.
      const members = await Promise.all(['one@example.com', 'two@example.com'].map((email) => addMember(server.domain, api.organizationId, { email, role: 'admin' }, { actor: systemActor('members add') })));
      const managers = await api.create('Managers', [allow([VIEW, MANAGE])]);
      const manager = await api.keyWithRoles([managers.id], 'manager');
      const memberPath = (userId: string) => `${api.orgPath}/members/${userId}`;
      assertError(await api.call('PATCH', memberPath(members[0]!.userId), { assignedRoleIds: [api.systemRoleId('member')] }, manager), 403, "Removing role 'Admin' would take away");
      assertError(await api.call('DELETE', memberPath(members[0]!.userId), undefined, manager), 403, 'would take away');
      assert.equal((await api.call('DELETE', memberPath(members[0]!.userId))).status, 200, 'an Admin key may');
      assert.equal(adminId.length, 36);
    });

    it('the only Admin key cannot take itself away (400 naming the field and why), through any of its keys, roles or state', async () => {
      const api = await organization('Self lockout');
      const adminId = await adminKeyId(api);
      const before = await state(api);
      const refusals: [string, string, unknown, RegExp][] = [
        ['PATCH', api.keyPath(adminId), { state: 'disabled' }, /^Invalid field 'state': this change would leave the organization without a working Admin key/],
        ['PATCH', api.keyPath(adminId), { assignedRoleIds: [api.systemRoleId('developer')] }, /^Invalid field 'assignedRoleIds': /],
        ['PATCH', api.keyPath(adminId), { roles: ['developer'] }, /^Invalid field 'roles': /],
        ['PATCH', api.keyPath(adminId), { assignedRoleIds: [] }, LOCKED_OUT],
        ['PATCH', api.keyPath(adminId), { expireAt: HOUR_LATER() }, /^Invalid field 'expireAt': .*never expires/],
        ['PATCH', api.keyPath(adminId), { ipAccessList: [{ source: '192.0.2.0/24' }] }, /^Invalid field 'ipAccessList': .*excludes the address of this very request/],
        ['PATCH', api.keyPath(adminId), { state: 'disabled', name: 'renamed' }, /^Invalid field 'state': /],
        ['POST', api.rolesPath, { name: 'No manage', actors: [`apiKey/${adminId}`], policies: [deny([MANAGE], [`organization/${api.organizationId}`])] }, /^Invalid field 'actors': /],
        ['POST', api.rolesPath, { name: 'No instances', actors: [`apiKey/${adminId}`], policies: [deny([MANAGE], ['organization/*'])] }, LOCKED_OUT],
      ];
      for (const [method, path, body, message] of refusals) assertError(await api.call(method, path, body), 400, message);
      assert.deepEqual(await state(api), before, 'nothing changed');
      // What leaves it working is allowed: an allow list admitting this request, a DENY on instances only.
      assert.equal((await api.call('PATCH', api.keyPath(adminId), { ipAccessList: [{ source: '127.0.0.0/8' }] })).status, 200);
      assert.equal((await api.call('PATCH', api.keyPath(adminId), { ipAccessList: [] })).status, 200);
      const second = await api.keyWithRoles([api.systemRoleId('admin')], 'second admin');
      const instancesOnly = await api.createRaw({ name: 'Instances only', actors: [`apiKey/${adminId}`], policies: [deny(EVERY_PERMISSION, ['instance/*'])] });
      assert.equal(instancesOnly.status, 200, instancesOnly.text);
      // With a second working Admin key, the first may go.
      assert.equal((await api.call('PATCH', api.keyPath(adminId), { state: 'disabled' })).status, 200);
      assertError(await api.call('PATCH', api.keyPath(second.id), { state: 'disabled' }, second), 400, LOCKED_OUT);
      // The disabled one holds Admin and a DENY on instances: deleting it still needs holding what it holds on the organization.
      const deleted = await api.call('DELETE', api.keyPath(adminId), undefined, second);
      assert.equal(deleted.status, 200, deleted.text);
    });

    it('the last working Admin key held through a custom role survives role PATCH (policies, actors) and DELETE, and key DELETE by an expiring Admin key', async () => {
      const api = await organization('Custom admin');
      const bootId = await adminKeyId(api);
      const full = await api.create('Full', [allow(EVERY_PERMISSION)]);
      const keeper = await api.keyWithRoles([full.id], 'keeper');
      const other = await api.keyWithRoles([], 'other');
      assert.equal((await api.call('DELETE', api.keyPath(bootId), undefined, keeper)).status, 200);
      const asKeeper = new RoleApi(server, api.organizationId, keeper);
      // An Admin key with an expiry works, but is not one the organization can keep.
      const expiring = await asKeeper.keyWithRoles([api.systemRoleId('admin')], 'expiring');
      const patchExpiry = await asKeeper.call('PATCH', asKeeper.keyPath(expiring.id), { expireAt: HOUR_LATER() });
      assert.equal(patchExpiry.status, 200, patchExpiry.text);
      const before = await state(asKeeper);
      const refusals: [string, string, unknown, Credentials, RegExp][] = [
        ['PATCH', asKeeper.rolePath(full.id), { policies: [allow([VIEW])] }, keeper, /^Invalid field 'policies': .*without a working Admin key that never expires/],
        ['PATCH', asKeeper.rolePath(full.id), { policies: [allow(EVERY_PERMISSION), deny([DELETE_KEYS])] }, keeper, /^Invalid field 'policies': /],
        ['PATCH', asKeeper.rolePath(full.id), { actors: [] }, keeper, /^Invalid field 'actors': /],
        ['DELETE', asKeeper.rolePath(full.id), undefined, keeper, /^This change would leave the organization without a working Admin key that never expires/],
        ['DELETE', asKeeper.keyPath(keeper.id), undefined, expiring, /^This change would leave/],
        ['PATCH', asKeeper.keyPath(keeper.id), { state: 'disabled' }, expiring, /^Invalid field 'state': /],
        ['PATCH', asKeeper.keyPath(keeper.id), { assignedRoleIds: [] }, expiring, /^Invalid field 'assignedRoleIds': /],
      ];
      for (const [method, path, body, key, message] of refusals) assertError(await asKeeper.call(method, path, body, key), 400, message);
      assert.deepEqual(await state(asKeeper), before, 'nothing changed');
      // Moving the role to another key keeps one: allowed, and the new holder works.
      const moved = await asKeeper.call('PATCH', asKeeper.rolePath(full.id), { actors: [`apiKey/${other.id}`, `apiKey/${keeper.id}`] });
      assert.equal(moved.status, 200, moved.text);
      assert.equal((await asKeeper.call('PATCH', asKeeper.rolePath(full.id), { actors: [`apiKey/${other.id}`] })).status, 200);
      assert.equal(await asKeeper.status(other, 'PATCH', asKeeper.orgPath, {}), 200);
    });

    it(`two Admin keys, the organization's last two, each disabling itself at once: exactly one succeeds (${TRIALS} trials)`, async () => {
      for (let trial = 0; trial < TRIALS; trial++) {
        const api = await organization(`Race ${trial}`);
        const a = { ...api.admin, id: await adminKeyId(api) };
        const b = await api.keyWithRoles([api.systemRoleId('admin')], 'b');
        assert.equal(await api.status(b, 'GET', api.keysPath), 200);
        const results = await Promise.all([a, b].map((key) => api.call('PATCH', api.keyPath(key.id), { state: 'disabled' }, key)));
        assert.deepEqual(results.map((r) => r.status).sort(), [200, 400], `trial ${trial}: ${results.map((r) => r.text).join(' / ')}`);
        assert.match(results.find((r) => r.status === 400)!.body.error, LOCKED_OUT);
        const survivor = results[0]!.status === 200 ? b : a;
        assert.equal(await api.status(survivor, 'PATCH', api.orgPath, {}), 200, `trial ${trial}: the survivor works`);
      }
    });

    it(`two Admin keys, the organization's last two, disabling each other at once: exactly one succeeds (${TRIALS} trials)`, async () => {
      for (let trial = 0; trial < TRIALS; trial++) {
        const api = await organization(`Cross race ${trial}`);
        const a = { ...api.admin, id: await adminKeyId(api) };
        const b = await api.keyWithRoles([api.systemRoleId('admin')], 'b');
        assert.equal(await api.status(b, 'GET', api.keysPath), 200);
        const [ab, ba] = await Promise.all([api.call('PATCH', api.keyPath(b.id), { state: 'disabled' }, a), api.call('PATCH', api.keyPath(a.id), { state: 'disabled' }, b)]);
        assert.equal([ab, ba].filter((r) => r.status === 200).length, 1, `trial ${trial}: ${ab.text} / ${ba.text}`);
        const survivor = ab.status === 200 ? a : b;
        assert.equal(await api.status(survivor, 'PATCH', api.orgPath, {}), 200, `trial ${trial}: the survivor works`);
      }
    });
  });

  describe(`the operator CLI stays the way back in [${backend}]`, () => {
    let testDb: TestDatabase;
    let serve: ServeProcess;
    before(async () => {
      testDb = await createTestDatabase(backend);
      assert.equal(runCli(['migrate', '--database', testDb.url]).status, 0);
      serve = await startServe(['--database', testDb.url, '--rate-limit', 'off']);
    });
    after(async () => {
      await serve.stop();
      await stopAllServers();
      await testDb.drop();
    });

    it('the operator may disable and delete the last Admin key (not bound by the rule), and `keys create --role admin` restores access to any organization', async () => {
      const boot = runCli(['bootstrap', '--org-name', 'Rescued', '--json', '--database', testDb.url]);
      assert.equal(boot.status, 0, boot.stderr);
      const { organizationId, keyId, keySecret } = JSON.parse(boot.stdout);
      const api = new RoleApi(serve, organizationId, { keyId, keySecret });
      const adminId = (await api.call('GET', api.keysPath)).body.result[0].id;
      // Locked out through the API is impossible; through the operator it is a deliberate revocation.
      assertError(await api.call('PATCH', api.keyPath(adminId), { state: 'disabled' }), 400, LOCKED_OUT);
      const disabled = runCli(['keys', 'disable', '--org', organizationId, '--key', adminId, '--database', testDb.url]);
      assert.equal(disabled.status, 0, disabled.stderr);
      const deleted = runCli(['keys', 'delete', '--org', organizationId, '--key', adminId, '--database', testDb.url]);
      assert.equal(deleted.status, 0, deleted.stderr);
      const created = runCli(['keys', 'create', '--org', organizationId, '--name', 'rescue', '--role', 'admin', '--json', '--database', testDb.url]);
      assert.equal(created.status, 0, created.stderr);
      const rescue = JSON.parse(created.stdout);
      const res = await request(serve, 'PATCH', api.orgPath, { auth: { keyId: rescue.keyId, keySecret: rescue.keySecret }, body: { name: 'Rescued again' } });
      assert.equal(res.status, 200, res.text);
    });
  });
}

describeUnless(postgresSkipReason(), 'the last Admin key across two instances on one PostgreSQL database', () => {
  let testDb: TestDatabase;
  let handle: DatabaseHandle;
  let instances: ServeProcess[] = [];
  before(async () => {
    testDb = await createTestDatabase('postgres');
    handle = openDatabase(testDb.url);
    await migrateToLatest(handle);
    instances = [];
    for (let i = 0; i < 2; i++) instances.push(await startServe(['--database', testDb.url, '--rate-limit', 'off']));
  });
  after(async () => {
    await Promise.all(instances.map((i) => i.stop()));
    await stopAllServers();
    await handle.close();
    await testDb.drop();
  });

  /** An organization with exactly two Admin keys (created directly in the database: setup, not under test), one per instance. */
  async function twoAdmins(trial: number): Promise<{ a: RoleApi; b: RoleApi; ids: [string, string] }> {
    const domain = createDomain(handle, systemClock);
    const boot = await bootstrapOrganization(domain, { organizationName: `shared ${trial}`, keyName: 'a', role: 'admin' }, 'bootstrap');
    const second = await addKey(domain, boot.organizationId, { name: 'b', roles: ['admin'] }, { actor: systemActor('test') });
    const a = new RoleApi(instances[0]!, boot.organizationId, boot);
    const b = new RoleApi(instances[1]!, boot.organizationId, { keyId: second.keyId!, keySecret: second.keySecret! });
    const keys = (await a.call('GET', a.keysPath)).body.result as any[];
    const idOf = (name: string): string => keys.find((k) => k.name === name).id;
    return { a, b, ids: [idOf('a'), idOf('b')] };
  }

  it(`each of the last two Admin keys disabling itself at once on another instance: exactly one succeeds (${TRIALS} trials)`, async () => {
    for (let trial = 0; trial < TRIALS; trial++) {
      const { a, b, ids } = await twoAdmins(trial);
      assert.equal(await b.status(b.admin, 'GET', b.keysPath), 200);
      const results = await Promise.all([a.call('PATCH', a.keyPath(ids[0]), { state: 'disabled' }), b.call('PATCH', b.keyPath(ids[1]), { state: 'disabled' })]);
      assert.deepEqual(results.map((r) => r.status).sort(), [200, 400], `trial ${trial}: ${results.map((r) => r.text).join(' / ')}`);
      assert.match(results.find((r) => r.status === 400)!.body.error, LOCKED_OUT);
      const survivor = results[0]!.status === 200 ? b : a;
      assert.equal(await survivor.status(survivor.admin, 'PATCH', survivor.orgPath, {}), 200, `trial ${trial}: the survivor works`);
    }
  });

  it(`the last two Admin keys disabling each other at once on two instances: exactly one succeeds (${TRIALS} trials)`, async () => {
    for (let trial = 0; trial < TRIALS; trial++) {
      const { a, b, ids } = await twoAdmins(100 + trial);
      assert.equal(await b.status(b.admin, 'GET', b.keysPath), 200);
      const [ab, ba] = await Promise.all([a.call('PATCH', a.keyPath(ids[1]), { state: 'disabled' }), b.call('PATCH', b.keyPath(ids[0]), { state: 'disabled' })]);
      assert.equal([ab, ba].filter((r) => r.status === 200).length, 1, `trial ${trial}: ${ab.text} / ${ba.text}`);
      const survivor = ab.status === 200 ? a : b;
      assert.equal(await survivor.status(survivor.admin, 'PATCH', survivor.orgPath, {}), 200, `trial ${trial}: the survivor works`);
    }
  });
});
