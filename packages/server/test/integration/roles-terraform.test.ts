import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { systemActor } from '../../src/domain/actor.js';
import { addMember } from '../../src/domain/members/member.service.js';
import { SYSTEM_ROLES } from '../../src/domain/roles/system-roles.js';
import { activitiesAfter, listActivities } from '../helpers/activities.js';
import { testBackends } from '../helpers/backends.js';
import { allow, assertError, MANAGE, RoleApi, VIEW, VIEW_KEYS, type IssuedRoleKey } from '../helpers/role-api.js';
import { request, startTestServer, type Credentials, type TestServer } from '../helpers/server.js';
import { assertVendorShape } from '../helpers/vendor-schemas.js';

// Issue 24, item 0: role management as the vendor's Terraform provider does it.
//
// The request bodies below are the ones the provider's API client sends
// (ClickHouse/terraform-provider-clickhouse):
// - internal/service/clickhouse/resource/role_assignment.go (and the older
//   pkg/resource/role_assignment.go): Create and Update send
//   UpdateRole(roleId, {Actors: &actors}) with the users first ("user/<id>")
//   then the API keys ("apiKey/<id>"); Delete sends {Actors: &[]string{}}.
//   internal/api/role.go marshals RoleUpdateRequest with `name,omitempty`
//   and pointer `actors`/`policies` (omitempty), so the body is exactly
//   {"actors":[...]}. Both of its examples assign the system role Member.
// - internal/service/clickhouse/resource/role.go: Create sends
//   {"name", "actors": [], "policies": [...]} (planPoliciesToAPICreate: each
//   policy {"allowDeny","permissions","resources"} plus "tags":{"roleV2"} when
//   set); Update sends {"name", "policies"}. Its tests note that the backend
//   grants control-plane:service:delete along with control-plane:service:manage.
// - examples/full/role_management/aws/main.tf: the roles created below
//   (tf-test-minimal, -with-policy, -billing-viewer, -restricted-operator,
//   -sql-console with sql-console:database:access on instance/*).

const ROLE_MANAGEMENT_EXAMPLE = (organizationId: string): { name: string; actors: string[]; policies: unknown[] }[] => [
  { name: 'tf-test-minimal', actors: [], policies: [] },
  { name: 'tf-test-with-policy', actors: [], policies: [{ allowDeny: 'ALLOW', permissions: ['control-plane:service:view'], resources: ['instance/*'] }] },
  { name: 'tf-test-billing-viewer', actors: [], policies: [{ allowDeny: 'ALLOW', permissions: ['control-plane:organization:view-billing'], resources: [`organization/${organizationId}`] }] },
  {
    name: 'tf-test-restricted-operator',
    actors: [],
    policies: [
      {
        allowDeny: 'ALLOW',
        permissions: ['control-plane:service:view', 'control-plane:service:manage', 'control-plane:service:view-backups', 'control-plane:service:manage-backups'],
        resources: ['instance/*'],
      },
      {
        allowDeny: 'DENY',
        permissions: ['control-plane:organization:manage-billing', 'control-plane:organization:view-billing', 'control-plane:organization:create-api-keys', 'control-plane:organization:delete-api-keys'],
        resources: [`organization/${organizationId}`],
      },
    ],
  },
  {
    name: 'tf-test-sql-console',
    actors: [],
    policies: [{ allowDeny: 'ALLOW', permissions: ['sql-console:database:access'], resources: ['instance/*'], tags: { roleV2: 'sql-console-readonly' } }],
  },
];

/** What a stored policy round-trips: the policy as sent, without the server's IDs. */
const sent = (policies: any[]): unknown[] =>
  policies.map((p) => ({ allowDeny: p.allowDeny, permissions: p.permissions, resources: p.resources, ...(p.tags ? { tags: p.tags } : {}) }));

const summary = (activities: any[]): string[] => activities.map((a) => `${a.type} ${a.targetKeyId ?? '-'} ${a.keyUpdateType ?? '-'} by ${a.actorType}/${a.actorId}`).sort();

for (const backend of testBackends()) {
  describe(`role management as the vendor's Terraform provider does it [${backend}]`, () => {
    let server: TestServer;

    before(async () => {
      server = await startTestServer({ backend });
    });
    after(() => server.close());

    /** A fresh organization (its admin key, two members holding Member, two keys holding nothing), so each case starts from the same state. */
    async function organization(name: string): Promise<{ api: RoleApi; adminId: string; alice: string; bob: string; k1: IssuedRoleKey; k2: IssuedRoleKey }> {
      const boot = await server.bootstrap(name);
      const api = new RoleApi(server, boot.organizationId, boot);
      const adminId = (await api.call('GET', api.keysPath)).body.result[0].id;
      const by = { actor: systemActor('members add') };
      const alice = (await addMember(server.domain, boot.organizationId, { email: `alice-${randomUUID()}@example.com` }, by)).userId;
      const bob = (await addMember(server.domain, boot.organizationId, { email: `bob-${randomUUID()}@example.com` }, by)).userId;
      const k1 = await api.keyWithRoles([], 'k1');
      const k2 = await api.keyWithRoles([], 'k2');
      return { api, adminId, alice, bob, k1, k2 };
    }

    const memberPath = (api: RoleApi, userId: string): string => `${api.orgPath}/members/${userId}`;
    async function memberRoles(api: RoleApi, userId: string): Promise<string[]> {
      const res = await api.call('GET', memberPath(api, userId));
      assert.equal(res.status, 200, res.text);
      assertVendorShape('Member', res.body.result);
      return res.body.result.assignedRoles.map((r: any) => r.roleName);
    }
    const keyRoles = async (api: RoleApi, id: string): Promise<string[]> => (await api.getKey(id)).assignedRoles.map((r: any) => r.roleName);

    /** Everything a refused request must leave as it was: every role (actors included), every key and every member. */
    async function everything(api: RoleApi): Promise<unknown> {
      const keys = await api.call('GET', api.keysPath);
      const members = await api.call('GET', `${api.orgPath}/members`);
      // usedAt moves with the requests themselves.
      return { roles: await api.list(), keys: keys.body.result.map(({ usedAt: _u, ...k }: any) => k), members: members.body.result };
    }

    it("the provider's role_assignment body on the system role Member assigns it (users and keys); GET, the list, the keys and the members then agree; its destroy body empties it", async () => {
      const { api, adminId, alice, bob, k1 } = await organization('Assignment');
      const member = api.systemRoleId('member');
      // Before: the members hold Member (members add gives it), nothing else does.
      assert.deepEqual((await api.get(member)).actors, [`user/${alice}`, `user/${bob}`].sort());

      // examples/full/role_management/aws/main.tf: the provider's own API key to Member.
      const own = await api.patch(member, { actors: [`apiKey/${adminId}`] });
      assert.equal(own.type, 'system');
      assert.equal(own.name, 'Member');
      assert.deepEqual(own.actors, [`apiKey/${adminId}`]);
      assert.deepEqual(sent(own.policies), []);

      // The resource's documented example: users first, then keys.
      const body = { actors: [`user/${alice}`, `apiKey/${k1.id}`, `apiKey/${adminId}`] };
      const assigned = await api.patch(member, body);
      const expected = [`apiKey/${adminId}`, `apiKey/${k1.id}`, `user/${alice}`].sort();
      assert.deepEqual(assigned.actors, expected);
      assert.deepEqual((await api.get(member)).actors, expected);
      assert.deepEqual((await api.list()).find((r) => r.id === member).actors, expected);
      // One set of assignments: the keys' and members' own roles say the same.
      assert.deepEqual(await keyRoles(api, k1.id), ['Member']);
      assert.deepEqual(await keyRoles(api, adminId), ['Admin', 'Member']);
      assert.deepEqual(await memberRoles(api, alice), ['Member']);
      assert.deepEqual(await memberRoles(api, bob), []);
      // And the other way round: a key's assignedRoleIds shows in the role's actors.
      await api.call('PATCH', api.keyPath(k1.id), { assignedRoleIds: [] });
      assert.deepEqual((await api.get(member)).actors, [`apiKey/${adminId}`, `user/${alice}`].sort());

      // The same body again changes nothing and answers the same.
      assert.deepEqual((await api.patch(member, { actors: [`user/${alice}`, `apiKey/${adminId}`] })).actors, [`apiKey/${adminId}`, `user/${alice}`].sort());
      // An empty PATCH changes nothing either.
      assert.deepEqual((await api.patch(member, {})).actors, [`apiKey/${adminId}`, `user/${alice}`].sort());

      // Destroy: {"actors": []}.
      const emptied = await api.patch(member, { actors: [] });
      assert.deepEqual(emptied.actors, []);
      assert.deepEqual((await api.get(member)).actors, []);
      assert.deepEqual(await keyRoles(api, adminId), ['Admin']);
      assert.deepEqual(await memberRoles(api, alice), []);

      // Any system role takes actors: Developer and Billing to a key and a member.
      const developer = await api.patch(api.systemRoleId('developer'), { actors: [`user/${bob}`, `apiKey/${k1.id}`] });
      assert.deepEqual(developer.actors, [`apiKey/${k1.id}`, `user/${bob}`].sort());
      assert.deepEqual(await keyRoles(api, k1.id), ['Developer']);
      // The deprecated key roles follow: Developer is the deprecated 'developer'.
      assert.deepEqual((await api.getKey(k1.id)).roles, ['developer']);
      assert.equal((await api.call('GET', memberPath(api, bob))).body.result.role, 'developer');
    });

    it('a PATCH of a system role sending name or policies is a 400 naming the field, and changes nothing', async () => {
      const { api, adminId, k1 } = await organization('Fixed system roles');
      const before = await everything(api);
      for (const system of SYSTEM_ROLES) {
        const id = api.systemRoleId(system.code);
        const refusals: [unknown, string][] = [
          [{ name: `${system.name} 2` }, 'name'],
          [{ name: system.name }, 'name'],
          [{ policies: [] }, 'policies'],
          [{ policies: [{ allowDeny: 'ALLOW', permissions: ['control-plane:organization:view'], resources: ['*'] }] }, 'policies'],
          // With actors too: nothing is assigned either.
          [{ name: 'renamed', actors: [`apiKey/${k1.id}`, `apiKey/${adminId}`] }, 'name'],
          [{ actors: [`apiKey/${k1.id}`, `apiKey/${adminId}`], policies: [] }, 'policies'],
        ];
        for (const [body, field] of refusals) {
          const res = await api.patchRaw(id, body);
          assertError(res, 400, `Invalid field '${field}'`);
          assert.ok(res.body.error.includes(`System role '${system.name}'`), res.body.error);
        }
        // DELETE stays refused.
        assertError(await api.deleteRaw(id), 400, `System role '${system.name}' cannot be changed or deleted`);
      }
      assert.deepEqual(await everything(api), before);
    });

    it('no escalation: a key without Admin can neither add itself nor anyone to Admin, nor take anyone off it (403 as for assignedRoleIds); it may assign a role it holds all of', async () => {
      const { api, adminId, alice, k1 } = await organization('Escalation');
      const managers = await api.create('Role managers', [allow([VIEW, MANAGE, VIEW_KEYS, 'control-plane:organization:update-api-keys'])]);
      const manager = await api.keyWithRoles([managers.id], 'manager');
      const admin = api.systemRoleId('admin');
      const before = await everything(api);
      const refusals: [string, string, string, unknown][] = [
        ['add itself to Admin through the role', 'PATCH', api.rolePath(admin), { actors: [`apiKey/${adminId}`, `apiKey/${manager.id}`] }],
        ['add another key to Admin through the role', 'PATCH', api.rolePath(admin), { actors: [`apiKey/${adminId}`, `apiKey/${k1.id}`] }],
        ['add a member to Admin through the role', 'PATCH', api.rolePath(admin), { actors: [`apiKey/${adminId}`, `user/${alice}`] }],
        ['take the Admin key off Admin through the role', 'PATCH', api.rolePath(admin), { actors: [] }],
        ['add itself to Admin through assignedRoleIds', 'PATCH', api.keyPath(manager.id), { assignedRoleIds: [managers.id, admin] }],
        ['add another key to Admin through assignedRoleIds', 'PATCH', api.keyPath(k1.id), { assignedRoleIds: [admin] }],
        ['give a role with a SQL console permission it does not hold', 'POST', api.rolesPath, { name: 'sql', actors: [], policies: [{ allowDeny: 'ALLOW', permissions: ['sql-console:database:access'], resources: ['instance/*'] }] }],
        ['give Developer (service permissions it does not hold) through the role', 'PATCH', api.rolePath(api.systemRoleId('developer')), { actors: [`apiKey/${k1.id}`] }],
      ];
      for (const [what, method, path, body] of refusals) {
        const res = await api.call(method, path, body, manager);
        assertError(res, 403, 'which this API key does not hold itself');
        assert.match(res.body.error, /would (grant|take away) '[a-z:-]+' on '[^']+'/, what);
      }
      // The same message as assignedRoleIds gives (both name the role and the permission).
      const viaRole = await api.call('PATCH', api.rolePath(admin), { actors: [`apiKey/${adminId}`, `apiKey/${k1.id}`] }, manager);
      const viaKey = await api.call('PATCH', api.keyPath(k1.id), { assignedRoleIds: [admin] }, manager);
      assert.equal(viaRole.body.error, viaKey.body.error);
      assert.deepEqual(await everything(api), before);

      // Member allows nothing, so the manager holds all of it: it may hand Member out and take it back.
      const member = api.systemRoleId('member');
      const current = (await api.get(member)).actors;
      const given = await api.call('PATCH', api.rolePath(member), { actors: [...current, `apiKey/${k1.id}`] }, manager);
      assert.equal(given.status, 200, given.text);
      assertVendorShape('RBACRole', given.body.result);
      assert.ok(given.body.result.actors.includes(`apiKey/${k1.id}`));
      const taken = await api.call('PATCH', api.rolePath(member), { actors: current }, manager);
      assert.equal(taken.status, 200, taken.text);
      assert.deepEqual(taken.body.result.actors, current);
      // An Admin key may do what the manager could not.
      assert.deepEqual((await api.patch(admin, { actors: [`apiKey/${adminId}`, `apiKey/${k1.id}`] })).actors, [`apiKey/${adminId}`, `apiKey/${k1.id}`].sort());
      assert.deepEqual(await keyRoles(api, k1.id), ['Admin']);
    });

    it('the last working Admin key and the last Admin member cannot be taken off Admin through its actors (400 naming actors, as keepingAdminKey and the members API refuse)', async () => {
      const { api, adminId, alice, bob, k1 } = await organization('Keeping Admin');
      const admin = api.systemRoleId('admin');
      const before = await everything(api);
      // The only working Admin key: off Admin through the role, as through its own assignedRoleIds.
      assertError(await api.patchRaw(admin, { actors: [] }), 400, "Invalid field 'actors': this change would leave the organization without a working Admin key");
      assertError(await api.call('PATCH', api.keyPath(adminId), { assignedRoleIds: [] }), 400, "Invalid field 'assignedRoleIds': this change would leave the organization without a working Admin key");
      // Handing Admin to a disabled key only: it does not work.
      await api.call('PATCH', api.keyPath(k1.id), { state: 'disabled' });
      assertError(await api.patchRaw(admin, { actors: [`apiKey/${k1.id}`] }), 400, 'without a working Admin key');
      await api.call('PATCH', api.keyPath(k1.id), { state: 'enabled' });
      assert.deepEqual(await everything(api), before);

      // The last member holding Admin.
      assert.deepEqual((await api.patch(admin, { actors: [`apiKey/${adminId}`, `user/${alice}`] })).actors, [`apiKey/${adminId}`, `user/${alice}`].sort());
      const withMember = await everything(api);
      assertError(await api.patchRaw(admin, { actors: [`apiKey/${adminId}`] }), 400, "Invalid field 'actors': this change would leave the organization without a member holding the Admin role");
      assertError(await api.call('PATCH', memberPath(api, alice), { assignedRoleIds: [] }), 400, 'last member with the Admin role');
      assert.deepEqual(await everything(api), withMember);

      // With a second Admin key (and a second Admin member), the first key may go, through the role.
      const second = await api.keyWithRoles([admin], 'second admin');
      const handedOver = await api.patch(admin, { actors: [`user/${bob}`, `apiKey/${second.id}`] });
      assert.deepEqual(handedOver.actors, [`apiKey/${second.id}`, `user/${bob}`].sort());
      const asSecond = new RoleApi(server, api.organizationId, second);
      assert.deepEqual(await keyRoles(asSecond, adminId), []);
      assert.deepEqual(await memberRoles(asSecond, alice), ['Member']);
      assert.deepEqual(await memberRoles(asSecond, bob), ['Admin', 'Member']);
      // The first key lost Admin at once: 403 on a route it could call before.
      assert.equal(await api.status(api.admin, 'GET', api.keysPath), 403);
      assert.equal(await api.status(second, 'GET', api.keysPath), 200);
    });

    it('activities: as for assignedRoleIds, one openapi_key_update (roles-v2-changed) per key and one organization_member_update_roles per member whose roles change, by the caller; none when nothing changes', async () => {
      const { api, adminId, alice, bob, k1, k2 } = await organization('Audited assignment');
      const member = api.systemRoleId('member');
      async function recorded(method: string, path: string, body: unknown): Promise<string[]> {
        const before = await listActivities(server, api.organizationId, api.admin);
        const res = await api.call(method, path, body);
        assert.equal(res.status, 200, res.text);
        return summary(activitiesAfter(before, await listActivities(server, api.organizationId, api.admin)));
      }
      const by = `by api/${adminId}`;
      const keyChange = (id: string): string => `openapi_key_update ${id} roles-v2-changed ${by}`;
      const memberChange = `organization_member_update_roles - - ${by}`;
      // The same activity as the key's own assignedRoleIds.
      const direct = await recorded('PATCH', api.keyPath(k2.id), { assignedRoleIds: [member] });
      assert.deepEqual(direct, [keyChange(k2.id)]);
      const viaMemberApi = await recorded('PATCH', memberPath(api, bob), { assignedRoleIds: [] });
      assert.deepEqual(viaMemberApi, [memberChange]);

      // Member's actors now: alice and k2. Add k1, drop k2 and alice, add bob.
      assert.deepEqual(await recorded('PATCH', api.rolePath(member), { actors: [`user/${alice}`, `apiKey/${k1.id}`, `apiKey/${k2.id}`] }), [keyChange(k1.id)]);
      assert.deepEqual(await recorded('PATCH', api.rolePath(member), { actors: [`user/${bob}`, `apiKey/${k1.id}`] }), [keyChange(k2.id), memberChange, memberChange].sort());
      // Nothing changes: nothing recorded.
      assert.deepEqual(await recorded('PATCH', api.rolePath(member), { actors: [`apiKey/${k1.id}`, `user/${bob}`] }), []);
      assert.deepEqual(await recorded('PATCH', api.rolePath(member), {}), []);
      // Refused requests record nothing.
      const before = await listActivities(server, api.organizationId, api.admin);
      assertError(await api.patchRaw(member, { name: 'x', actors: [] }), 400, "'name'");
      assertError(await api.patchRaw(api.systemRoleId('admin'), { actors: [] }), 400, "'actors'");
      assert.deepEqual(activitiesAfter(before, await listActivities(server, api.organizationId, api.admin)), []);
      // The destroy body.
      assert.deepEqual(await recorded('PATCH', api.rolePath(member), { actors: [] }), [keyChange(k1.id), memberChange].sort());
    });

    it("the provider's role_management example: sql-console, service:delete and every other service permission are accepted on create and PATCH and round-trip in GET; unknown ones are still refused", async () => {
      const { api, k1 } = await organization('Role management example');
      const ids: string[] = [];
      for (const body of ROLE_MANAGEMENT_EXAMPLE(api.organizationId)) {
        const res = await api.createRaw(body);
        assert.equal(res.status, 200, `${body.name}: ${res.text}`);
        assertVendorShape('RBACRole', res.body.result);
        assert.equal(res.body.result.name, body.name);
        assert.equal(res.body.result.type, 'custom');
        assert.deepEqual(sent(res.body.result.policies), body.policies);
        const got = await api.get(res.body.result.id);
        assert.deepEqual(sent(got.policies), body.policies);
        ids.push(res.body.result.id);
      }
      // The provider's role_assignment on a custom role of the example.
      const withActors = await api.patch(ids[0]!, { actors: [`apiKey/${k1.id}`] });
      assert.deepEqual(withActors.actors, [`apiKey/${k1.id}`]);

      // The provider's Update ({"name","policies"}), with what the vendor's backend echoes (service:delete with
      // service:manage), the other SQL console role, a service and the other service permissions the vendor's clients send.
      const service = randomUUID();
      const updated = [
        {
          allowDeny: 'ALLOW',
          permissions: [
            'control-plane:service:view',
            'control-plane:service:manage',
            'control-plane:service:delete',
            'control-plane:service:view-backups',
            'control-plane:service:manage-backups',
            'control-plane:service:manage-clickpipes',
            'control-plane:service:view-scaling-config',
            'control-plane:service:manage-scaling-config',
            'control-plane:service:manage-clickstack-api',
            'control-plane:postgres-service:view',
            'control-plane:postgres-service:manage',
          ],
          resources: ['instance/*'],
        },
        { allowDeny: 'ALLOW', permissions: ['sql-console:database:access'], resources: [`instance/${service}`], tags: { roleV2: 'sql-console-admin', grants: ['GRANT SELECT ON default.*'] } },
        { allowDeny: 'DENY', permissions: ['control-plane:service:delete'], resources: [`instance/${service}`] },
      ];
      const patched = await api.patch(ids[3]!, { name: 'tf-test-restricted-operator', policies: updated });
      assert.deepEqual(sent(patched.policies), updated);
      assert.deepEqual(sent((await api.get(ids[3]!)).policies), updated);
      assert.deepEqual(sent((await api.list()).find((r) => r.id === ids[3]).policies), updated);
      // Created with them too.
      const created = await api.create('every service permission', updated as any);
      assert.deepEqual(sent(created.policies), updated);

      // Unknown permissions are still refused, naming the entry, on create and PATCH, with nothing changed.
      const before = await everything(api);
      for (const unknown of ['sql-console:database:drop', 'sql-console:*', 'control-plane:service:launch', 'control-plane:service:Delete', 'control-plane:postgres-service:delete']) {
        const policies = [{ allowDeny: 'ALLOW', permissions: ['control-plane:service:delete', unknown], resources: ['instance/*'] }];
        assertError(await api.createRaw({ name: `unknown ${unknown}`, actors: [], policies }), 400, `Invalid field 'policies[0].permissions[1]': unknown permission '${unknown}'`);
        assertError(await api.patchRaw(ids[4]!, { policies }), 400, `Invalid field 'policies[0].permissions[1]': unknown permission '${unknown}'`);
      }
      assert.deepEqual(await everything(api), before);
    });

    it('the organization API checks none of the service-level or SQL console permissions: a key holding all of them and no organization permission gets 403', async () => {
      const { api } = await organization('Unchecked permissions');
      const serviceOnly = await api.create('services and SQL console', [
        allow(
          [
            'control-plane:service:view',
            'control-plane:service:manage',
            'control-plane:service:delete',
            'control-plane:service:manage-scaling-config',
            'control-plane:postgres-service:manage',
            'sql-console:database:access',
          ],
          ['*'],
        ),
      ]);
      const key: Credentials = await api.keyWithRoles([serviceOnly.id], 'services only');
      for (const path of [api.orgPath, api.keysPath, api.rolesPath, `${api.orgPath}/members`, `${api.orgPath}/activities`]) {
        assertError(await request(server, 'GET', path, { auth: key }), 403, "do not grant the permission 'control-plane:organization:");
      }
    });
  });
}
