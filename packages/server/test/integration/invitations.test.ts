import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { systemClock } from '../../src/clock.js';
import { ConfigError, loadServerConfig, parseDuration } from '../../src/config.js';
import { systemActor } from '../../src/domain/actor.js';
import { DEFAULT_INVITATION_TTL_MS } from '../../src/domain/domain.js';
import { createDomain } from '../../src/domain/create-domain.js';
import { createInvitation } from '../../src/domain/invitations/invitation.service.js';
import { MAX_OPEN_INVITATIONS_PER_ORGANIZATION } from '../../src/vocabulary/limits.js';
import { addMember } from '../../src/domain/members/member.service.js';
import { systemRoleId } from '../../src/domain/roles/system-roles.js';
import { activitiesAfter, listActivities } from '../helpers/activities.js';
import { testBackends } from '../helpers/backends.js';
import { createApiKey } from '../helpers/keys.js';
import { request, startTestServer, type Credentials, type TestServer } from '../helpers/server.js';
import { assertVendorShape } from '../helpers/vendor-schemas.js';
import { allow, RoleApi } from '../helpers/role-api.js';

// Invitations API: GET/POST …/invitations, GET/DELETE …/invitations/{invitationId}.

describe('invitation lifetime configuration', () => {
  it('parses s, m, h and d durations and defaults to 7 days', () => {
    assert.equal(parseDuration('invitation lifetime', '3600s'), 3_600_000);
    assert.equal(parseDuration('invitation lifetime', '30m'), 1_800_000);
    assert.equal(parseDuration('invitation lifetime', '12h'), 43_200_000);
    assert.equal(parseDuration('invitation lifetime', '7d'), 604_800_000);
    assert.equal(loadServerConfig({}, {}).invitationTtlMs, DEFAULT_INVITATION_TTL_MS);
    assert.equal(DEFAULT_INVITATION_TTL_MS, 604_800_000);
    assert.equal(loadServerConfig({}, { ORGPLANE_INVITATION_TTL: '12h' }).invitationTtlMs, 43_200_000);
    assert.equal(loadServerConfig({ invitationTtl: '1d' }, { ORGPLANE_INVITATION_TTL: '12h' }).invitationTtlMs, 86_400_000, 'the flag wins');
  });

  it('refuses anything else with a ConfigError naming the value', () => {
    for (const bad of ['7', '7 days', '1.5h', '-1d', '0s', '1w', '', 'd']) {
      assert.throws(() => loadServerConfig({ invitationTtl: bad }, {}), (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, new RegExp(`invalid invitation lifetime "${bad.replace(/[.]/g, '\\.')}"`));
        return true;
      });
    }
  });
});

for (const backend of testBackends()) {
  describe(`invitations API [${backend}]`, () => {
    let server: TestServer;
    let org: string;
    let adminKeyId: string;
    const path = (suffix = '', organizationId = org) => `/v1/organizations/${organizationId}/invitations${suffix}`;
    const api = (method: string, p: string, body?: unknown, auth: Credentials = server.admin) => request(server, method, p, { auth, ...(body === undefined ? {} : { body }) });
    const roleId = (code: 'admin' | 'developer' | 'member', organizationId = org) => systemRoleId(organizationId, code);
    const activities = () => listActivities(server, org, server.admin);
    const invite = async (body: Record<string, unknown>, auth: Credentials = server.admin, organizationId = org) => {
      const res = await api('POST', path('', organizationId), body, auth);
      assert.equal(res.status, 200, res.text);
      assertVendorShape('Invitation', res.body.result);
      return res.body.result;
    };
    const expireInDatabase = (id: string) => server.domain.db.updateTable('invitations').set({ expire_at: '2001-01-01T00:00:00.000Z' }).where('id', '=', id).execute();
    const createRole = async (name: string, permissions: string[]) => (await new RoleApi(server, org, server.admin).create(name, [allow(permissions)])).id as string;

    before(async () => {
      server = await startTestServer({ backend });
      org = server.organizationId;
      adminKeyId = (await api('GET', `/v1/organizations/${org}/keys`)).body.result[0].id;
    });
    after(() => server.close());

    it("creates an invitation from clickhousectl's exact body: email stored in lower case, open for 7 days, organization_invite_create", async () => {
      const before = await activities();
      const res = await request(server, 'POST', path(), {
        auth: server.admin,
        rawBody: `{"email":"Dev@Example.com","assignedRoleIds":["${roleId('developer')}"]}`,
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(res.status, 200, res.text);
      const created = res.body.result;
      assertVendorShape('Invitation', created);
      assert.equal(created.email, 'dev@example.com');
      assert.equal(created.role, 'developer');
      assert.deepEqual(created.assignedRoles, [{ roleId: roleId('developer'), roleName: 'Developer', roleType: 'system' }]);
      assert.equal(Date.parse(created.expireAt) - Date.parse(created.createdAt), 7 * 24 * 3600 * 1000);
      assert.ok(Math.abs(Date.parse(created.createdAt) - Date.now()) < 60_000);
      const got = await api('GET', path(`/${created.id.toUpperCase()}`));
      assert.equal(got.status, 200);
      assertVendorShape('Invitation', got.body.result);
      assert.deepEqual(got.body.result, created);
      const written = activitiesAfter(before, await activities());
      assert.deepEqual(
        written.map((a) => [a.type, a.actorType, a.actorId]),
        [['organization_invite_create', 'api', adminKeyId]],
      );
    });

    it('gives the Member system role when neither assignedRoleIds nor role is sent, and Admin for the deprecated role admin', async () => {
      const plain = await invite({ email: `plain-${randomUUID()}@example.com` });
      assert.equal(plain.role, undefined);
      assert.deepEqual(plain.assignedRoles, [{ roleId: roleId('member'), roleName: 'Member', roleType: 'system' }]);
      const admin = await invite({ email: `admin-${randomUUID()}@example.com`, role: 'admin' });
      assert.equal(admin.role, 'admin');
      assert.deepEqual(admin.assignedRoles, [{ roleId: roleId('admin'), roleName: 'Admin', roleType: 'system' }]);
      const both = await invite({ email: `both-${randomUUID()}@example.com`, role: 'developer', assignedRoleIds: [roleId('developer')] });
      assert.equal(both.role, 'developer');
      const none = await invite({ email: `none-${randomUUID()}@example.com`, assignedRoleIds: [] });
      assert.deepEqual(none.assignedRoles, []);
    });

    it('lists every invitation in creation order, as vendor Invitations', async () => {
      const other = await server.bootstrap(`list ${randomUUID()}`);
      const first = await invite({ email: 'first@example.com' }, other, other.organizationId);
      const second = await invite({ email: 'second@example.com', role: 'developer' }, other, other.organizationId);
      const res = await api('GET', path('', other.organizationId), undefined, other);
      assert.equal(res.status, 200, res.text);
      assertVendorShape('Invitation', res.body.result, { array: true });
      assert.deepEqual(res.body.result, [first, second]);
    });

    it('409 for an email that already has an open invitation (in any case) or is already a member', async () => {
      const email = `twice-${randomUUID()}@example.com`;
      const first = await invite({ email });
      const member = await addMember(server.domain, org, { email: `member-${randomUUID()}@example.com` }, { actor: systemActor('members add') });
      const before = await activities();
      const again = await api('POST', path(), { email: email.toUpperCase(), role: 'admin' });
      assert.equal(again.status, 409, again.text);
      assert.match(again.body.error, new RegExp(`${email} already has an open invitation to this organization \\(${first.id}`));
      const ofMember = await api('POST', path(), { email: member.email });
      assert.equal(ofMember.status, 409, ofMember.text);
      assert.equal(ofMember.body.error, `${member.email} is already a member of this organization`);
      assert.deepEqual(activitiesAfter(before, await activities()), []);
    });

    it('keeps an expired invitation listed; inviting its email again replaces it', async () => {
      const email = `expired-${randomUUID()}@example.com`;
      const old = await invite({ email, role: 'admin' });
      await expireInDatabase(old.id);
      const listed = (await api('GET', path())).body.result;
      assert.equal(listed.find((i: any) => i.id === old.id)?.expireAt, '2001-01-01T00:00:00.000Z');
      assert.equal((await api('GET', path(`/${old.id}`))).status, 200);
      const renewed = await invite({ email });
      assert.notEqual(renewed.id, old.id);
      assert.deepEqual(renewed.assignedRoles, [{ roleId: roleId('member'), roleName: 'Member', roleType: 'system' }]);
      assert.equal((await api('GET', path(`/${old.id}`))).status, 404);
      const roles = (await api('GET', `/v1/organizations/${org}/roles/${roleId('admin')}`)).body.result;
      assert.ok(!JSON.stringify(roles).includes(old.id), 'the replaced invitation left no role assignment');
    });

    it('refuses, naming the field: a bad email, an over-long one, unknown role IDs, role and assignedRoleIds disagreeing, unknown fields', async () => {
      const before = await activities();
      const cases: [unknown, RegExp][] = [
        [{ email: 'not an email' }, /^Invalid field 'email': must be a valid email/],
        [{ email: `${'a'.repeat(250)}@example.com` }, /'email'/],
        [{}, /email/],
        [{ email: 'x@example.com', assignedRoleIds: [randomUUID()] }, /^Invalid field 'assignedRoleIds\[0\]': no role with ID/],
        [{ email: 'x@example.com', assignedRoleIds: ['nope'] }, /'assignedRoleIds\[0\]'/],
        [{ email: 'x@example.com', role: 'admin', assignedRoleIds: [roleId('developer')] }, /'role' and 'assignedRoleIds'/],
        [{ email: 'x@example.com', role: 'owner' }, /'role'/],
        [{ email: 'x@example.com', name: 'X' }, /Unknown field 'name'/],
      ];
      for (const [body, message] of cases) {
        const res = await api('POST', path(), body);
        assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.text}`);
        assert.match(res.body.error, message, JSON.stringify(body));
      }
      assert.ok(!(await api('GET', path())).body.result.some((i: any) => i.email === 'x@example.com'));
      assert.deepEqual(activitiesAfter(before, await activities()), []);
    });

    it('DELETE removes the invitation and its roles and records organization_invite_delete; 404 for an unknown one', async () => {
      const created = await invite({ email: `delete-${randomUUID()}@example.com`, role: 'developer' });
      const before = await activities();
      const res = await api('DELETE', path(`/${created.id}`));
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(Object.keys(res.body).sort(), ['requestId', 'status']);
      const gone = await api('GET', path(`/${created.id}`));
      assert.equal(gone.status, 404);
      assert.equal(gone.body.error, 'Invitation not found');
      assert.equal((await api('DELETE', path(`/${created.id}`))).status, 404);
      assert.equal((await api('GET', path(`/${randomUUID()}`))).body.error, 'Invitation not found');
      assert.ok(!JSON.stringify((await api('GET', `/v1/organizations/${org}/roles`)).body.result).includes(created.id));
      assert.deepEqual(
        activitiesAfter(before, await activities()).map((a) => [a.type, a.actorType, a.actorId]),
        [['organization_invite_delete', 'api', adminKeyId]],
      );
    });

    it('needs organization:view to read and organization:manage to invite or delete', async () => {
      const created = await invite({ email: `access-${randomUUID()}@example.com` });
      const developer = await createApiKey(server, { roles: ['developer'] });
      assert.equal((await api('GET', path(), undefined, developer)).status, 200);
      assert.equal((await api('GET', path(`/${created.id}`), undefined, developer)).status, 200);
      const post = await api('POST', path(), { email: 'dev-made@example.com' }, developer);
      assert.equal(post.status, 403);
      assert.match(post.body.error, /control-plane:organization:manage/);
      assert.equal((await api('DELETE', path(`/${created.id}`), undefined, developer)).status, 403);
    });

    it('refuses an invitation as Admin from a key whose custom role has organization:manage but not everything (403)', async () => {
      const manager = await createRole(`inviter ${randomUUID()}`, ['control-plane:organization:view', 'control-plane:organization:manage']);
      const key = await createApiKey(server, { roles: undefined, assignedRoleIds: [manager] });
      const before = await activities();
      const email = `escalate-${randomUUID()}@example.com`;
      const asAdmin = await api('POST', path(), { email, assignedRoleIds: [roleId('admin')] }, key);
      assert.equal(asAdmin.status, 403, asAdmin.text);
      assert.match(asAdmin.body.error, /Assigning role 'Admin' would grant/);
      const legacy = await api('POST', path(), { email, role: 'admin' }, key);
      assert.equal(legacy.status, 403);
      assert.deepEqual(activitiesAfter(before, await activities()), []);
      assert.ok(!(await api('GET', path())).body.result.some((i: any) => i.email === email));
      // The Member role grants nothing, so it may invite with the default.
      const plain = await invite({ email }, key);
      assert.equal(plain.email, email);
    });

    it(`allows at most ${MAX_OPEN_INVITATIONS_PER_ORGANIZATION} open invitations per organization; expired ones do not count`, async () => {
      const other = await server.bootstrap(`bound ${randomUUID()}`);
      const ids: string[] = [];
      for (let i = 0; i < MAX_OPEN_INVITATIONS_PER_ORGANIZATION; i++) ids.push((await invite({ email: `bound-${i}@example.com` }, other, other.organizationId)).id);
      const over = await api('POST', path('', other.organizationId), { email: 'one-too-many@example.com' }, other);
      assert.equal(over.status, 400, over.text);
      assert.match(over.body.error, /maximum of 100 open invitations/);
      await expireInDatabase(ids[0]!);
      await invite({ email: 'one-too-many@example.com' }, other, other.organizationId);
      assert.equal((await api('GET', path('', other.organizationId), undefined, other)).body.result.length, MAX_OPEN_INVITATIONS_PER_ORGANIZATION + 1);
    });

    it("takes the invitation lifetime from the domain's options", async () => {
      const domain = createDomain(server.database, systemClock, undefined, { invitationTtlMs: 3_600_000 });
      const created = await createInvitation(domain, org, { email: `hour-${randomUUID()}@example.com` }, { actor: systemActor('test') });
      assert.equal(Date.parse(created.expireAt) - Date.parse(created.createdAt), 3_600_000);
    });
  });
}
