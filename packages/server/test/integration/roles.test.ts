import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MAX_CUSTOM_ROLES_PER_ORGANIZATION } from '../../src/vocabulary/limits.js';
import { SYSTEM_ROLES, systemRoleId } from '../../src/domain/roles/system-roles.js';
import { testBackends } from '../helpers/backends.js';
import { UNKNOWN_UUID } from '../helpers/key-api.js';
import { allow, assertError, deny, MANAGE, RoleApi, VIEW, VIEW_KEYS } from '../helpers/role-api.js';
import { request, startTestServer, type TestServer } from '../helpers/server.js';
import { assertVendorShape } from '../helpers/vendor-schemas.js';

// The /roles endpoints: the system roles, custom roles' life cycle, what a
// role may name (permissions, resources, actors), and what deleting one does.
// Who may call them (and the no-escalation rule) is role-authorization.test.ts's.

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ROLE_FIELDS = ['actors', 'createdAt', 'id', 'name', 'ownerId', 'policies', 'tenantId', 'type', 'updatedAt'];

for (const backend of testBackends()) {
  describe(`roles API [${backend}]`, () => {
    let server: TestServer;
    let roles: RoleApi;
    let adminKeyId: string;
    let other: { organizationId: string; keyId: string; keySecret: string };
    let otherKeyId: string;

    before(async () => {
      server = await startTestServer({ backend });
      roles = new RoleApi(server, server.organizationId, server.admin);
      const keys = (await roles.call('GET', roles.keysPath)).body.result;
      adminKeyId = keys.find((k: any) => k.keySuffix === server.admin.keyId.slice(-4)).id;
      other = await server.bootstrap('Other organization');
      const otherKeys = await request(server, 'GET', `/v1/organizations/${other.organizationId}/keys`, { auth: other });
      otherKeyId = otherKeys.body.result[0].id;
    });
    after(() => server.close());

    /** The custom roles, for "a refused request changed nothing" checks. */
    const customRoles = async () => (await roles.list()).filter((r) => r.type === 'custom');

    describe('system roles', () => {
      it('lists the six system roles first, with the vendor names, IDs derived from the organization and their policies', async () => {
        await roles.create('listed after the system roles', [allow([VIEW])]);
        const list = await roles.list();
        const tenant = `organization/${server.organizationId}`;
        assert.deepEqual(
          list.slice(0, 6).map((r) => r.name),
          ['Admin', 'Developer', 'Billing', 'Org API reader', 'Member', 'Query endpoints'],
        );
        assert.ok(list.slice(6).every((r) => r.type === 'custom'));
        assert.ok(list.some((r) => r.name === 'listed after the system roles'));
        SYSTEM_ROLES.forEach((system, i) => {
          const role = list[i];
          assert.deepEqual(Object.keys(role).sort(), ROLE_FIELDS);
          assert.equal(role.id, systemRoleId(server.organizationId, system.code));
          assert.equal(role.type, 'system');
          assert.equal(role.tenantId, tenant);
          assert.equal(role.ownerId, tenant);
          assert.match(role.createdAt, ISO_UTC);
          assert.match(role.updatedAt, ISO_UTC);
          assert.deepEqual(
            role.policies.map((p: any) => ({ allowDeny: p.allowDeny, permissions: p.permissions, resources: p.resources })),
            system.policies.map((p) => ({ allowDeny: p.allowDeny, permissions: [...p.permissions], resources: [...p.resources] })),
            system.name,
          );
          for (const policy of role.policies) {
            assert.match(policy.id, UUID);
            assert.equal(policy.roleId, role.id);
            assert.equal(policy.tenantId, tenant);
          }
        });
        // The bootstrap admin key holds Admin (migrated from its deprecated role).
        assert.deepEqual(list[0].actors, [`apiKey/${adminKeyId}`]);
        // The IDs are stable: the same list again, and the same role by ID.
        assert.deepEqual((await roles.list()).slice(0, 6).map((r) => r.id), list.slice(0, 6).map((r) => r.id));
        assert.deepEqual(await roles.get(list[1].id), list[1]);
        // Another organization's system roles have other IDs, and are not found here.
        const otherRoles = await request(server, 'GET', `/v1/organizations/${other.organizationId}/roles`, { auth: other });
        assert.equal(otherRoles.status, 200);
        assertVendorShape('RBACRole', otherRoles.body.result, { array: true });
        for (const r of otherRoles.body.result.slice(0, 6)) assert.equal(list.some((mine) => mine.id === r.id), false);
        assertError(await roles.call('GET', roles.rolePath(otherRoles.body.result[0].id)), 404, 'Role not found');
      });

      it('keep their name and policies and cannot be deleted (400), and stay as they were (their actors can change: roles-terraform.test.ts)', async () => {
        const before = (await roles.list()).slice(0, 6);
        for (const role of before) {
          assertError(await roles.patchRaw(role.id, { name: `${role.name} 2` }), 400, /^Invalid field 'name': System role .* cannot be changed/);
          assertError(await roles.patchRaw(role.id, { policies: [] }), 400, /^Invalid field 'policies': System role/);
          assertError(await roles.deleteRaw(role.id), 400, /System role .* cannot be changed or deleted/);
        }
        assert.deepEqual((await roles.list()).slice(0, 6), before);
      });

      it('GET, PATCH and DELETE of an unknown role are 404, a malformed ID 400', async () => {
        assertError(await roles.call('GET', roles.rolePath(UNKNOWN_UUID)), 404, 'Role not found');
        assertError(await roles.patchRaw(UNKNOWN_UUID, { name: 'x' }), 404, 'Role not found');
        assertError(await roles.deleteRaw(UNKNOWN_UUID), 404, 'Role not found');
        assertError(await roles.call('GET', roles.rolePath('not-a-uuid')), 400, 'roleId');
      });
    });

    describe('custom roles', () => {
      it('create, get, list, update, delete', async () => {
        const policies = [
          allow([VIEW, VIEW_KEYS], [`organization/${server.organizationId}`]),
          { ...deny([MANAGE], ['organization/*']), tags: { grants: ['read only'] } },
          allow(['control-plane:service:view'], ['instance/*']),
        ];
        // (Not the admin key as actor: the DENY would take organization:manage from it.)
        const auditor = await roles.createKey({ name: 'auditor' });
        const created = await roles.create('Auditors', policies, [`apiKey/${auditor.id}`]);
        assert.deepEqual(Object.keys(created).sort(), ROLE_FIELDS);
        assert.match(created.id, UUID);
        assert.equal(created.name, 'Auditors');
        assert.equal(created.type, 'custom');
        assert.equal(created.tenantId, `organization/${server.organizationId}`);
        assert.equal(created.ownerId, `organization/${server.organizationId}`);
        assert.deepEqual(created.actors, [`apiKey/${auditor.id}`]);
        assert.match(created.createdAt, ISO_UTC);
        assert.equal(created.updatedAt, created.createdAt);
        assert.deepEqual(
          created.policies.map(({ allowDeny, permissions, resources, tags }: any) => ({ allowDeny, permissions, resources, ...(tags ? { tags } : {}) })),
          policies,
        );
        for (const p of created.policies) {
          assert.match(p.id, UUID);
          assert.equal(p.roleId, created.id);
          assert.equal(p.tenantId, `organization/${server.organizationId}`);
        }
        assert.equal(new Set(created.policies.map((p: any) => p.id)).size, 3);

        assert.deepEqual(await roles.get(created.id), created);
        assert.deepEqual((await roles.list()).find((r) => r.id === created.id), created);
        // Upper-case IDs are the same role.
        assert.deepEqual(await roles.get(created.id.toUpperCase()), created);

        const renamed = await roles.patch(created.id, { name: 'Auditors (read only)' });
        assert.equal(renamed.name, 'Auditors (read only)');
        assert.equal(renamed.createdAt, created.createdAt);
        assert.ok(Date.parse(renamed.updatedAt) >= Date.parse(created.updatedAt));
        assert.deepEqual(renamed.policies, created.policies);
        assert.deepEqual(await roles.get(created.id), renamed);

        const deleted = await roles.deleteRaw(created.id);
        assert.equal(deleted.status, 200, deleted.text);
        assert.deepEqual(Object.keys(deleted.body).sort(), ['requestId', 'status']);
        assertError(await roles.call('GET', roles.rolePath(created.id)), 404, 'Role not found');
        assert.equal((await roles.list()).some((r) => r.id === created.id), false);
        assertError(await roles.deleteRaw(created.id), 404);
      });

      it('accepts a role with no policies and no actors, and normalises resources to lower case', async () => {
        const empty = await roles.create('Nothing at all', []);
        assert.deepEqual(empty.policies, []);
        assert.deepEqual(empty.actors, []);
        const upper = await roles.create('Upper-case resource', [allow([VIEW], [`organization/${server.organizationId.toUpperCase()}`, `instance/${UNKNOWN_UUID.toUpperCase()}`])]);
        assert.deepEqual(upper.policies[0].resources, [`organization/${server.organizationId}`, `instance/${UNKNOWN_UUID}`]);
      });

      it('refuses a duplicate name with 409 in the error envelope, also case-insensitively and against system role names', async () => {
        const first = await roles.create('Data team', [allow([VIEW])]);
        const before = await customRoles();
        for (const name of ['Data team', 'DATA TEAM', 'data team', 'Admin', 'admin', 'Org API reader', 'query ENDPOINTS']) {
          assertError(await roles.createRaw({ name, actors: [], policies: [] }), 409, `A role named '${name}' already exists`);
        }
        // Renaming onto another role's name too; renaming a role to itself (any case) is fine.
        const second = await roles.create('Ops team', []);
        assertError(await roles.patchRaw(second.id, { name: 'data TEAM' }), 409, 'already exists');
        assertError(await roles.patchRaw(second.id, { name: 'Developer' }), 409, 'already exists');
        assert.equal((await roles.patch(first.id, { name: 'DATA team' })).name, 'DATA team');
        assert.deepEqual(
          (await customRoles()).filter((r) => r.id !== first.id && r.id !== second.id).map((r) => r.id),
          before.filter((r) => r.id !== first.id).map((r) => r.id),
        );
      });

      it('refuses an unknown permission with 400 naming policies[i].permissions[j]', async () => {
        const before = await customRoles();
        const res = await roles.createRaw({ name: 'bad permission', actors: [], policies: [allow([VIEW]), allow([VIEW, 'control-plane:organization:destroy'])] });
        assertError(res, 400, "Invalid field 'policies[1].permissions[1]'");
        assert.match(res.body.error, /control-plane:organization:destroy/);
        const role = await roles.create('patched with a bad permission', [allow([VIEW])]);
        assertError(await roles.patchRaw(role.id, { policies: [allow(['control-plane:Organization:view'])] }), 400, "Invalid field 'policies[0].permissions[0]'");
        assert.deepEqual((await roles.get(role.id)).policies, role.policies);
        assert.deepEqual((await customRoles()).map((r) => r.id), [...before.map((r) => r.id), role.id]);
      });

      it('refuses a resource that is none of *, organization/*, organization/<id>, instance/*, instance/<id> with 400 naming it', async () => {
        const before = await customRoles();
        for (const resource of ['organization', 'organization/', 'instance', 'service/*', 'organization/not-a-uuid', 'instance/12345', '**', 'organization/**', ' *', `organization/${server.organizationId}/x`, `instance/${'-'.repeat(36)}`, `instance/${'a'.repeat(36)}`]) {
          const res = await roles.createRaw({ name: 'bad resource', actors: [], policies: [allow([VIEW], ['*', resource])] });
          assertError(res, 400, "Invalid field 'policies[0].resources[1]'");
        }
        assert.deepEqual(await customRoles(), before);
      });

      it('refuses organization/<another organization\'s ID> (400), existing or not', async () => {
        for (const id of [other.organizationId, UNKNOWN_UUID]) {
          assertError(await roles.createRaw({ name: 'foreign', actors: [], policies: [allow([VIEW], [`organization/${id}`])] }), 400, "Invalid field 'policies[0].resources[0]'");
        }
      });

      it('checks actors: apiKey/<UUID> of a key of this organization is accepted; of another organization, unknown or malformed is 400 naming actors[i]', async () => {
        const key = await roles.createKey({ name: 'actor key' });
        const ok = await roles.create('With actors', [allow([VIEW])], [`apiKey/${key.id.toUpperCase()}`, `apiKey/${adminKeyId}`]);
        assert.deepEqual([...ok.actors].sort(), [`apiKey/${adminKeyId}`, `apiKey/${key.id}`].sort());
        // The create response is what a read returns (actors sorted), whatever the order sent.
        assert.deepEqual(await roles.get(ok.id), ok);
        const reversed = await roles.create('With actors reversed', [allow([VIEW])], [`apiKey/${adminKeyId}`, `apiKey/${key.id}`]);
        assert.deepEqual(reversed.actors, ok.actors);
        assert.deepEqual(await roles.get(reversed.id), reversed);
        const before = await customRoles();
        assertError(await roles.createRaw({ name: 'x', actors: [`apiKey/${key.id}`, `apiKey/${otherKeyId}`], policies: [] }), 400, "Invalid field 'actors[1]'");
        assertError(await roles.createRaw({ name: 'x', actors: [`apiKey/${UNKNOWN_UUID}`], policies: [] }), 400, "Invalid field 'actors[0]'");
        assertError(await roles.createRaw({ name: 'x', actors: [`user/${UNKNOWN_UUID}`], policies: [] }), 400, "Invalid field 'actors[0]'");
        for (const actor of ['apiKey/123', `apikey/${key.id}`, `key/${key.id}`, key.id, `apiKey/${key.id}/x`, '', `invitation/${UNKNOWN_UUID}`]) {
          assertError(await roles.createRaw({ name: 'x', actors: [`apiKey/${adminKeyId}`, actor], policies: [] }), 400, "'actors[1]'");
        }
        assertError(await roles.patchRaw(ok.id, { actors: [`apiKey/${otherKeyId}`] }), 400, "Invalid field 'actors[0]'");
        assert.deepEqual(await customRoles(), before);
      });

      it('PATCH replaces only the arrays it sends', async () => {
        const key = await roles.createKey({ name: 'patch actor' });
        const role = await roles.create('Patched', [allow([VIEW]), deny([MANAGE])], [`apiKey/${key.id}`]);
        const renamed = await roles.patch(role.id, { name: 'Patched 2' });
        assert.deepEqual(renamed.policies, role.policies);
        assert.deepEqual(renamed.actors, role.actors);

        const newPolicies = await roles.patch(role.id, { policies: [allow([VIEW_KEYS], [`organization/${server.organizationId}`])] });
        assert.equal(newPolicies.name, 'Patched 2');
        assert.deepEqual(newPolicies.actors, role.actors);
        assert.deepEqual(newPolicies.policies.map((p: any) => p.permissions), [[VIEW_KEYS]]);

        const newActors = await roles.patch(role.id, { actors: [`apiKey/${adminKeyId}`] });
        assert.equal(newActors.name, 'Patched 2');
        assert.deepEqual(newActors.policies, newPolicies.policies);
        assert.deepEqual(newActors.actors, [`apiKey/${adminKeyId}`]);

        const nothing = await roles.patch(role.id, {});
        assert.deepEqual({ ...nothing, updatedAt: undefined }, { ...newActors, updatedAt: undefined });
        assert.deepEqual(await roles.get(role.id), nothing);
      });

      it("replays Terraform's clickhouse_role_assignment: PATCH {actors} replaces the whole list, then {actors: []} clears it", async () => {
        const [a, b, c] = [await roles.createKey({ name: 'tf a' }), await roles.createKey({ name: 'tf b' }), await roles.createKey({ name: 'tf c' })];
        const role = await roles.create('Terraform assigned', [allow([VIEW])]);
        const first = await roles.patch(role.id, { actors: [`apiKey/${a.id}`, `apiKey/${b.id}`] });
        assert.deepEqual([...first.actors].sort(), [`apiKey/${a.id}`, `apiKey/${b.id}`].sort());
        // Replaying the same body changes nothing.
        assert.deepEqual((await roles.patch(role.id, { actors: [`apiKey/${b.id}`, `apiKey/${a.id}`] })).actors, first.actors);
        const second = await roles.patch(role.id, { actors: [`apiKey/${b.id}`, `apiKey/${c.id}`] });
        assert.deepEqual([...second.actors].sort(), [`apiKey/${b.id}`, `apiKey/${c.id}`].sort());
        assert.deepEqual((await roles.get(role.id)).actors, second.actors);
        // The keys' own view agrees.
        assert.deepEqual((await roles.getKey(a.id)).assignedRoles, []);
        assert.deepEqual((await roles.getKey(b.id)).assignedRoles, [{ roleId: role.id, roleName: 'Terraform assigned', roleType: 'custom' }]);
        const cleared = await roles.patch(role.id, { actors: [] });
        assert.deepEqual(cleared.actors, []);
        assert.deepEqual((await roles.get(role.id)).actors, []);
        for (const key of [a, b, c]) assert.deepEqual((await roles.getKey(key.id)).assignedRoles, []);
        assert.deepEqual(cleared.policies, role.policies);
      });

      it("deleting a custom role removes its assignments: the key's assignedRoles no longer list it and the key loses its permissions", async () => {
        const role = await roles.create('Readers', [allow([VIEW, VIEW_KEYS], [`organization/${server.organizationId}`])]);
        const key = await roles.keyWithRoles([role.id, roles.systemRoleId('member')]);
        assert.deepEqual(key.key.assignedRoles.map((r: any) => r.roleId), [roles.systemRoleId('member'), role.id]);
        assert.equal(await roles.status(key, 'GET', roles.orgPath), 200);
        assert.equal(await roles.status(key, 'GET', roles.keysPath), 200);
        assert.equal((await roles.deleteRaw(role.id)).status, 200);
        const after = await roles.getKey(key.id);
        assert.deepEqual(after.assignedRoles, [{ roleId: roles.systemRoleId('member'), roleName: 'Member', roleType: 'system' }]);
        assert.equal((await roles.call('GET', roles.keysPath)).body.result.find((k: any) => k.id === key.id).assignedRoles.length, 1);
        // At once on this instance.
        assert.equal(await roles.status(key, 'GET', roles.orgPath), 403);
        assert.equal(await roles.status(key, 'GET', roles.keysPath), 403);
        // A new role of the same name starts with no actors.
        const again = await roles.create('Readers', [allow([VIEW])]);
        assert.deepEqual(again.actors, []);
      });

      it(`holds at most ${MAX_CUSTOM_ROLES_PER_ORGANIZATION} custom roles per organization (400), and takes another once one is deleted`, async () => {
        const existing = (await customRoles()).length;
        for (let i = existing; i < MAX_CUSTOM_ROLES_PER_ORGANIZATION; i++) {
          const res = await roles.createRaw({ name: `bulk ${i}`, actors: [], policies: [] });
          assert.equal(res.status, 200, res.text);
        }
        const all = await customRoles();
        assert.equal(all.length, MAX_CUSTOM_ROLES_PER_ORGANIZATION);
        // The list is streamed a page of roles at a time: every role once, oldest first.
        assert.equal(new Set(all.map((r: { id: string }) => r.id)).size, all.length);
        const created = all.map((r: { createdAt: string }) => r.createdAt);
        assert.deepEqual(created, [...created].sort());
        assertError(await roles.createRaw({ name: 'one too many', actors: [], policies: [] }), 400, `maximum of ${MAX_CUSTOM_ROLES_PER_ORGANIZATION} custom roles`);
        assert.equal((await customRoles()).length, MAX_CUSTOM_ROLES_PER_ORGANIZATION);
        // The bound is per organization.
        const elsewhere = await request(server, 'POST', `/v1/organizations/${other.organizationId}/roles`, { auth: other, body: { name: 'elsewhere', actors: [], policies: [] } });
        assert.equal(elsewhere.status, 200, elsewhere.text);
        assert.equal((await roles.deleteRaw(all[all.length - 1].id)).status, 200);
        await roles.create('one more after a delete', []);
      });
    });
  });
}
