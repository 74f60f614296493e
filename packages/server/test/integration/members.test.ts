import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { systemActor } from '../../src/domain/actor.js';
import { addMember } from '../../src/domain/members/member.service.js';
import { MAX_MEMBERS_PER_ORGANIZATION } from '../../src/vocabulary/limits.js';
import { systemRoleId } from '../../src/domain/roles/system-roles.js';
import { activitiesAfter, listActivities } from '../helpers/activities.js';
import { testBackends } from '../helpers/backends.js';
import { createApiKey } from '../helpers/keys.js';
import { request, startTestServer, type Credentials, type TestServer } from '../helpers/server.js';
import { assertVendorShape } from '../helpers/vendor-schemas.js';
import { allow, RoleApi } from '../helpers/role-api.js';

// Members API: GET …/members, GET/PATCH/DELETE …/members/{userId}. Members are
// created by the operator (there is no user sign-in); here directly through the
// domain service the operator's `members add` uses.

for (const backend of testBackends()) {
  describe(`members API [${backend}]`, () => {
    let server: TestServer;
    let org: string;
    let adminKeyId: string;
    const path = (suffix = '') => `/v1/organizations/${org}/members${suffix}`;
    const api = (method: string, p: string, body?: unknown, auth: Credentials = server.admin) => request(server, method, p, { auth, ...(body === undefined ? {} : { body }) });
    const operatorAdd = (email: string, extra: { name?: string; role?: 'admin' | 'developer'; assignedRoleIds?: string[] } = {}, organizationId = org) =>
      addMember(server.domain, organizationId, { email, ...extra }, { actor: systemActor('members add') });
    const roleId = (code: 'admin' | 'developer' | 'member') => systemRoleId(org, code);
    const activities = () => listActivities(server, org, server.admin);
    const createRole = async (name: string, permissions: string[]) => (await new RoleApi(server, org, server.admin).create(name, [allow(permissions)])).id as string;

    before(async () => {
      server = await startTestServer({ backend });
      org = server.organizationId;
      const keys = await api('GET', `/v1/organizations/${org}/keys`);
      adminKeyId = keys.body.result[0].id;
    });
    after(() => server.close());

    it('lists no members in a new organization', async () => {
      const res = await api('GET', path());
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body.result, []);
    });

    it('lists members in the order they joined, each a vendor Member; Terraform finds one by email', async () => {
      const ada = await operatorAdd('Ada@Example.com', { name: 'Ada Lovelace', role: 'admin' });
      const bob = await operatorAdd('bob@example.com', { role: 'developer' });
      const res = await api('GET', path());
      assert.equal(res.status, 200, res.text);
      assertVendorShape('Member', res.body.result, { array: true });
      assert.deepEqual(
        res.body.result.map((m: any) => m.userId),
        [ada.userId, bob.userId],
      );
      // The provider lists the members and picks the one whose email matches.
      const found = res.body.result.find((m: any) => m.email === 'ada@example.com');
      assert.deepEqual(found, {
        userId: ada.userId,
        name: 'Ada Lovelace',
        email: 'ada@example.com',
        role: 'admin',
        joinedAt: ada.joinedAt,
        assignedRoles: [{ roleId: roleId('admin'), roleName: 'Admin', roleType: 'system' }],
      });
      const bobListed = res.body.result[1];
      assert.equal(bobListed.name, 'bob', 'the name defaults to the email local part');
      assert.equal(bobListed.role, 'developer');
    });

    it('gets one member by userId (any case), 404 for an unknown one, 400 for a malformed one', async () => {
      const m = await operatorAdd(`get-${randomUUID()}@example.com`);
      const res = await api('GET', path(`/${m.userId.toUpperCase()}`));
      assert.equal(res.status, 200, res.text);
      assertVendorShape('Member', res.body.result);
      assert.deepEqual(res.body.result, m);
      assert.equal(res.body.result.role, undefined, 'the Member role has no deprecated role');
      assert.deepEqual(res.body.result.assignedRoles, [{ roleId: roleId('member'), roleName: 'Member', roleType: 'system' }]);
      const unknown = await api('GET', path(`/${randomUUID()}`));
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.error, 'Member not found');
      const malformed = await api('GET', path('/not-a-uuid'));
      assert.equal(malformed.status, 400);
      assert.match(malformed.body.error, /userId/);
    });

    it("PATCH with clickhousectl's exact body replaces the roles and records organization_member_update_roles once", async () => {
      const m = await operatorAdd(`patch-${randomUUID()}@example.com`);
      const custom = await createRole(`viewer ${randomUUID()}`, ['control-plane:organization:view']);
      const before = await activities();
      const res = await request(server, 'PATCH', path(`/${m.userId}`), { auth: server.admin, rawBody: `{"assignedRoleIds":["${custom}"]}`, headers: { 'content-type': 'application/json' } });
      assert.equal(res.status, 200, res.text);
      assertVendorShape('Member', res.body.result);
      assert.equal(res.body.result.role, undefined);
      assert.equal(res.body.result.assignedRoles.length, 1);
      assert.equal(res.body.result.assignedRoles[0].roleId, custom);
      assert.equal(res.body.result.assignedRoles[0].roleType, 'custom');
      assert.deepEqual((await api('GET', path(`/${m.userId}`))).body.result, res.body.result);
      const written = activitiesAfter(before, await activities());
      assert.deepEqual(
        written.map((a) => [a.type, a.actorType, a.actorId]),
        [['organization_member_update_roles', 'api', adminKeyId]],
      );
      // The same roles again change nothing and record nothing.
      const again = await api('PATCH', path(`/${m.userId}`), { assignedRoleIds: [custom.toUpperCase()] });
      assert.equal(again.status, 200, again.text);
      assert.equal(activitiesAfter(before, await activities()).length, 1);
      // The role's actors now list the member.
      const role = await api('GET', `/v1/organizations/${org}/roles/${custom}`);
      assert.deepEqual(role.body.result.actors, [`user/${m.userId}`]);
    });

    it('PATCH with the deprecated role records organization_member_update_role; role and assignedRoleIds may agree', async () => {
      const m = await operatorAdd(`legacy-${randomUUID()}@example.com`);
      const before = await activities();
      const res = await api('PATCH', path(`/${m.userId}`), { role: 'developer' });
      assert.equal(res.status, 200, res.text);
      assertVendorShape('Member', res.body.result);
      assert.equal(res.body.result.role, 'developer');
      assert.deepEqual(res.body.result.assignedRoles, [{ roleId: roleId('developer'), roleName: 'Developer', roleType: 'system' }]);
      const both = await api('PATCH', path(`/${m.userId}`), { role: 'admin', assignedRoleIds: [roleId('admin')] });
      assert.equal(both.status, 200, both.text);
      assert.equal(both.body.result.role, 'admin');
      assert.deepEqual(
        activitiesAfter(before, await activities()).map((a) => a.type),
        ['organization_member_update_roles', 'organization_member_update_role'],
      );
    });

    it('PATCH refuses, naming the fields: an empty body, an unknown role ID, role and assignedRoleIds disagreeing, unknown fields', async () => {
      const m = await operatorAdd(`bad-${randomUUID()}@example.com`);
      const before = await activities();
      const empty = await api('PATCH', path(`/${m.userId}`), {});
      assert.equal(empty.status, 400);
      assert.match(empty.body.error, /'assignedRoleIds'/);
      assert.match(empty.body.error, /'role'/);
      const unknownRole = randomUUID();
      const unknown = await api('PATCH', path(`/${m.userId}`), { assignedRoleIds: [roleId('developer'), unknownRole] });
      assert.equal(unknown.status, 400);
      assert.match(unknown.body.error, /^Invalid field 'assignedRoleIds\[1\]'/);
      const first = await api('PATCH', path(`/${m.userId}`), { assignedRoleIds: [unknownRole] });
      assert.match(first.body.error, /^Invalid field 'assignedRoleIds\[0\]'/);
      const disagree = await api('PATCH', path(`/${m.userId}`), { role: 'admin', assignedRoleIds: [roleId('developer')] });
      assert.equal(disagree.status, 400);
      assert.match(disagree.body.error, /'role' and 'assignedRoleIds'/);
      const badRole = await api('PATCH', path(`/${m.userId}`), { role: 'owner' });
      assert.equal(badRole.status, 400);
      assert.match(badRole.body.error, /'role'/);
      const extra = await api('PATCH', path(`/${m.userId}`), { role: 'admin', name: 'x' });
      assert.equal(extra.status, 400);
      assert.match(extra.body.error, /Unknown field 'name'/);
      const missing = await api('PATCH', path(`/${randomUUID()}`), { role: 'admin' });
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error, 'Member not found');
      assert.deepEqual((await api('GET', path(`/${m.userId}`))).body.result, m, 'nothing changed');
      assert.deepEqual(activitiesAfter(before, await activities()), []);
    });

    it('keeps the last member with the Admin role: it can neither lose Admin nor be removed', async () => {
      const other = await server.bootstrap(`last admin ${randomUUID()}`);
      const otherPath = (s = '') => `/v1/organizations/${other.organizationId}/members${s}`;
      const otherAdmin = systemRoleId(other.organizationId, 'admin');
      const only = await operatorAdd('only@example.com', { role: 'admin' }, other.organizationId);
      const plain = await operatorAdd('plain@example.com', {}, other.organizationId);
      const demote = await api('PATCH', otherPath(`/${only.userId}`), { role: 'developer' }, other);
      assert.equal(demote.status, 400);
      assert.match(demote.body.error, /last member with the Admin role/);
      const none = await api('PATCH', otherPath(`/${only.userId}`), { assignedRoleIds: [] }, other);
      assert.equal(none.status, 400);
      const remove = await api('DELETE', otherPath(`/${only.userId}`), undefined, other);
      assert.equal(remove.status, 400);
      assert.match(remove.body.error, /last member with the Admin role and cannot be removed/);
      // Keeping Admin while adding another role is fine.
      const keep = await api('PATCH', otherPath(`/${only.userId}`), { assignedRoleIds: [otherAdmin, systemRoleId(other.organizationId, 'developer')] }, other);
      assert.equal(keep.status, 200, keep.text);
      // Once another member holds Admin, the first may lose it, and then the second is the last.
      assert.equal((await api('PATCH', otherPath(`/${plain.userId}`), { role: 'admin' }, other)).status, 200);
      assert.equal((await api('PATCH', otherPath(`/${only.userId}`), { role: 'developer' }, other)).status, 200);
      assert.equal((await api('DELETE', otherPath(`/${plain.userId}`), undefined, other)).status, 400);
      assert.equal((await api('DELETE', otherPath(`/${only.userId}`), undefined, other)).status, 200);
    });

    it('DELETE removes the member and its role assignments and records organization_member_delete', async () => {
      const custom = await createRole(`deleted member role ${randomUUID()}`, ['control-plane:organization:view']);
      const m = await operatorAdd(`delete-${randomUUID()}@example.com`, { assignedRoleIds: [custom] });
      const before = await activities();
      const res = await api('DELETE', path(`/${m.userId}`));
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(Object.keys(res.body).sort(), ['requestId', 'status']);
      assert.equal((await api('GET', path(`/${m.userId}`))).status, 404);
      assert.ok(!(await api('GET', path())).body.result.some((x: any) => x.userId === m.userId));
      assert.deepEqual((await api('GET', `/v1/organizations/${org}/roles/${custom}`)).body.result.actors, []);
      const written = activitiesAfter(before, await activities());
      assert.deepEqual(
        written.map((a) => [a.type, a.actorType, a.actorId]),
        [['organization_member_delete', 'api', adminKeyId]],
      );
      const again = await api('DELETE', path(`/${m.userId}`));
      assert.equal(again.status, 404);
      assert.equal(again.body.error, 'Member not found');
    });

    it('needs organization:view to read and organization:manage to change: developer keys read only', async () => {
      const m = await operatorAdd(`access-${randomUUID()}@example.com`);
      const developer = await createApiKey(server, { roles: ['developer'] });
      assert.equal((await api('GET', path(), undefined, developer)).status, 200);
      assert.equal((await api('GET', path(`/${m.userId}`), undefined, developer)).status, 200);
      const patch = await api('PATCH', path(`/${m.userId}`), { role: 'developer' }, developer);
      assert.equal(patch.status, 403);
      assert.match(patch.body.error, /control-plane:organization:manage/);
      assert.equal((await api('DELETE', path(`/${m.userId}`), undefined, developer)).status, 403);
      const foreign = await server.bootstrap(`foreign ${randomUUID()}`);
      assert.equal((await api('GET', path(), undefined, foreign)).status, 403);
    });

    it('refuses to give a role the caller does not hold itself (no escalation): 403', async () => {
      const manager = await createRole(`member manager ${randomUUID()}`, ['control-plane:organization:view', 'control-plane:organization:manage']);
      const key = await createApiKey(server, { roles: undefined, assignedRoleIds: [manager] });
      const m = await operatorAdd(`escalate-${randomUUID()}@example.com`);
      const before = await activities();
      const toAdmin = await api('PATCH', path(`/${m.userId}`), { role: 'admin' }, key);
      assert.equal(toAdmin.status, 403, toAdmin.text);
      assert.match(toAdmin.body.error, /Assigning role 'Admin'/);
      assert.deepEqual(activitiesAfter(before, await activities()), []);
      // What it holds itself it may pass on.
      const same = await api('PATCH', path(`/${m.userId}`), { assignedRoleIds: [manager] }, key);
      assert.equal(same.status, 200, same.text);
    });

    it('keeps one userId for an email across organizations', async () => {
      const email = `everywhere-${randomUUID()}@example.com`;
      const here = await operatorAdd(email);
      const other = await server.bootstrap(`second ${randomUUID()}`);
      const there = await operatorAdd(email.toUpperCase(), {}, other.organizationId);
      assert.equal(there.userId, here.userId);
      const listed = await api('GET', `/v1/organizations/${other.organizationId}/members`, undefined, other);
      assert.equal(listed.body.result[0].userId, here.userId);
    });

    it(`stops at ${MAX_MEMBERS_PER_ORGANIZATION} members per organization (400), checked in the change`, async () => {
      const other = await server.bootstrap(`full ${randomUUID()}`);
      const rows = Array.from({ length: MAX_MEMBERS_PER_ORGANIZATION - 1 }, (_, i) => ({
        organization_id: other.organizationId,
        user_id: randomUUID(),
        name: `m${i}`,
        email: `bulk-${i}-${randomUUID()}@example.com`,
        joined_at: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, i)).toISOString(),
      }));
      for (let i = 0; i < rows.length; i += 200) await server.domain.db.insertInto('members').values(rows.slice(i, i + 200)).execute();
      const last = await operatorAdd(`last-${randomUUID()}@example.com`, {}, other.organizationId);
      assert.ok(last.userId);
      await assert.rejects(operatorAdd(`over-${randomUUID()}@example.com`, {}, other.organizationId), (err: any) => {
        assert.equal(err.status, 400);
        assert.match(err.message, /maximum of 1,000 members/);
        return true;
      });
      const invite = await api('POST', `/v1/organizations/${other.organizationId}/invitations`, { email: `over@example.com` }, other);
      assert.equal(invite.status, 400);
      assert.match(invite.body.error, /maximum of 1,000 members/);
      const listed = await api('GET', `/v1/organizations/${other.organizationId}/members`, undefined, other);
      assert.equal(listed.body.result.length, MAX_MEMBERS_PER_ORGANIZATION);
    });
  });
}
