import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { systemClock } from '../../src/clock.js';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { systemActor } from '../../src/domain/actor.js';
import { bootstrapOrganization } from '../../src/domain/bootstrap.js';
import { createDomain } from '../../src/domain/create-domain.js';
import { addMember } from '../../src/domain/members/member.service.js';
import { activitiesAfter, listActivities } from '../helpers/activities.js';
import { createTestDatabase, testBackends, type TestDatabase } from '../helpers/backends.js';
import { runCli, startServe, stopAllServers, type ServeProcess } from '../helpers/cli.js';
import { allow, deny, RoleApi, VIEW, type IssuedRoleKey } from '../helpers/role-api.js';

// Issue 23: granting or withdrawing roles through a role's `actors` (a role
// created with actors, a PATCH of its actors, its deletion) records, in the
// same transaction, what a change of the holder's own roles records:
// openapi_key_update (roles-v2-changed) for each key, organization_member_update_roles
// for each member whose roles change; and the chain still verifies.

/** The activities as (type, targetKeyId, keyUpdateType), sorted, for comparing sets. */
const summary = (activities: any[]): string[] => activities.map((a) => `${a.type} ${a.targetKeyId ?? '-'} ${a.keyUpdateType ?? '-'}`).sort();
const keyChange = (id: string): string => `openapi_key_update ${id} roles-v2-changed`;
const MEMBER_CHANGE = 'organization_member_update_roles - -';

for (const backend of testBackends()) {
  describe(`a role's actors changes are audited per holder [${backend}]`, () => {
    let testDb: TestDatabase;
    let serve: ServeProcess;
    let api: RoleApi;
    let adminId: string;
    let userId: string;
    let k1: IssuedRoleKey;
    let k2: IssuedRoleKey;

    before(async () => {
      testDb = await createTestDatabase(backend);
      const handle = openDatabase(testDb.url);
      await migrateToLatest(handle);
      const domain = createDomain(handle, systemClock);
      const boot = await bootstrapOrganization(domain, { organizationName: 'Audited roles', keyName: 'admin', role: 'admin' }, 'bootstrap');
      userId = (await addMember(domain, boot.organizationId, { email: 'holder@example.com' }, { actor: systemActor('members add') })).userId;
      await handle.close();
      serve = await startServe(['--database', testDb.url, '--rate-limit', 'off']);
      api = new RoleApi(serve, boot.organizationId, boot);
      adminId = (await api.call('GET', api.keysPath)).body.result[0].id;
      k1 = await api.keyWithRoles([], 'k1');
      k2 = await api.keyWithRoles([], 'k2');
    });
    after(async () => {
      await serve.stop();
      await stopAllServers();
      await testDb.drop();
    });

    /** Runs one request (200 asserted) and answers the activities it recorded. */
    async function recorded(method: string, path: string, body?: unknown): Promise<any[]> {
      const before = await listActivities(serve, api.organizationId, api.admin);
      const res = await api.call(method, path, body);
      assert.equal(res.status, 200, res.text);
      return activitiesAfter(before, await listActivities(serve, api.organizationId, api.admin));
    }

    it('create with actors, PATCH of actors and DELETE record one activity per key and member whose roles change, by the caller; other changes record none', async () => {
      const created = await recorded('POST', api.rolesPath, { name: 'Viewers', actors: [`apiKey/${k1.id}`, `user/${userId}`], policies: [allow([VIEW])] });
      assert.deepEqual(summary(created), [MEMBER_CHANGE, keyChange(k1.id)].sort());
      for (const activity of created) {
        assert.equal(activity.actorType, 'api');
        assert.equal(activity.actorId, adminId);
      }
      const roleId = (await api.list()).find((r) => r.name === 'Viewers').id;
      assert.deepEqual(summary(await recorded('PATCH', api.rolePath(roleId), { actors: [`apiKey/${k1.id}`] })), [MEMBER_CHANGE]);
      assert.deepEqual(summary(await recorded('PATCH', api.rolePath(roleId), { actors: [`apiKey/${k2.id}`, `apiKey/${k1.id}`, `user/${userId}`] })), [MEMBER_CHANGE, keyChange(k2.id)].sort());
      assert.deepEqual(summary(await recorded('PATCH', api.rolePath(roleId), { actors: [`apiKey/${k2.id}`, `user/${userId}`] })), [keyChange(k1.id)]);
      // The same actors, a new name, new policies: nobody's roles change.
      assert.deepEqual(await recorded('PATCH', api.rolePath(roleId), { name: 'Viewers (renamed)', actors: [`user/${userId}`, `apiKey/${k2.id}`], policies: [allow([VIEW]), deny(['control-plane:service:manage'], ['instance/*'])] }), []);
      assert.deepEqual(summary(await recorded('DELETE', api.rolePath(roleId))), [MEMBER_CHANGE, keyChange(k2.id)].sort());
      // A role created without actors, or deleted without holders, records nothing of the kind.
      assert.deepEqual(await recorded('POST', api.rolesPath, { name: 'Nobody', actors: [], policies: [allow([VIEW])] }), []);
      assert.deepEqual(await recorded('DELETE', api.rolePath((await api.list()).find((r) => r.name === 'Nobody').id)), []);
    });

    it('a refused change records nothing, and `orgplane audit verify` passes the chain', async () => {
      const before = await listActivities(serve, api.organizationId, api.admin);
      const viewer = await api.create('Low', [allow([VIEW, 'control-plane:organization:manage'])], [`apiKey/${k1.id}`]);
      const refused = await api.call('POST', api.rolesPath, { name: 'Deny k2', actors: [`apiKey/${k2.id}`], policies: [deny(['control-plane:organization:view-billing'])] }, k1);
      assert.equal(refused.status, 403, refused.text);
      const added = activitiesAfter(before, await listActivities(serve, api.organizationId, api.admin));
      assert.deepEqual(summary(added), [keyChange(k1.id)], 'only the role given to k1');
      assert.ok(viewer.id);
      const audit = runCli(['audit', 'verify', '--org', api.organizationId, '--database', testDb.url]);
      assert.equal(audit.status, 0, `${audit.stdout}${audit.stderr}`);
      assert.match(audit.stdout, /^OK: \d+ activities in 1 organization/);
    });
  });
}
