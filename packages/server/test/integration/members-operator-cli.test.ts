import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { systemRoleId } from '../../src/domain/roles/system-roles.js';
import { createTestDatabase, testBackends, type TestDatabase } from '../helpers/backends.js';
import { runCli, runCliAsync, startServe, stopAllServers, type ServeProcess } from '../helpers/cli.js';
import { request, type Credentials } from '../helpers/server.js';
import { assertVendorShape } from '../helpers/vendor-schemas.js';

// Operator commands `orgplane invitations accept` and `orgplane members add`
// (on the database, no server needed), and the client commands `orgplane
// member …` and `orgplane invitation …` (over HTTP). Spawns ./bin/orgplane
// (the built CLI: run `npm run build` first; `npm test` does).

const oneJsonObject = (stdout: string) => {
  assert.equal(stdout.trim().split('\n').length, 1, `one JSON line: ${stdout}`);
  const value = JSON.parse(stdout);
  assert.equal(typeof value, 'object');
  assert.ok(value !== null && !Array.isArray(value));
  return value;
};

for (const backend of testBackends()) {
  describe(`operator member and invitation commands [${backend}]`, () => {
    let testDb: TestDatabase;
    let database: DatabaseHandle;
    let serve: ServeProcess;
    let org: string;
    let admin: Credentials;
    const cli = (...args: string[]) => runCli([...args, '--database', testDb.url]);
    const api = (method: string, path: string, body?: unknown, auth: Credentials = admin) => request(serve, method, path, { auth, ...(body === undefined ? {} : { body }) });
    const activities = async () => (await api('GET', `/v1/organizations/${org}/activities`)).body.result as any[];
    const invite = async (body: Record<string, unknown>) => {
      const res = await api('POST', `/v1/organizations/${org}/invitations`, body);
      assert.equal(res.status, 200, res.text);
      return res.body.result;
    };

    before(async () => {
      testDb = await createTestDatabase(backend);
      assert.equal(runCli(['migrate', '--database', testDb.url]).status, 0);
      const boot = runCli(['bootstrap', '--org-name', 'People', '--json', '--database', testDb.url]);
      assert.equal(boot.status, 0, boot.stderr);
      const parsed = JSON.parse(boot.stdout);
      org = parsed.organizationId;
      admin = { keyId: parsed.keyId, keySecret: parsed.keySecret };
      serve = await startServe(['--database', testDb.url, '--rate-limit', 'off']);
      database = openDatabase(testDb.url);
    });
    after(async () => {
      await stopAllServers();
      await database?.close();
      await testDb?.drop();
    });

    it('invitations accept --json creates the member with the invitation\'s roles, removes the invitation and records organization_member_join', async () => {
      const invitation = await invite({ email: 'Grace@Example.com', assignedRoleIds: [systemRoleId(org, 'developer')] });
      const res = cli('invitations', 'accept', '--invitation', invitation.id.toUpperCase(), '--json');
      assert.equal(res.status, 0, res.stderr);
      const member = oneJsonObject(res.stdout);
      assertVendorShape('Member', member);
      assert.equal(member.email, 'grace@example.com');
      assert.equal(member.name, 'grace', 'the name defaults to the email local part');
      assert.equal(member.role, 'developer');
      assert.deepEqual(member.assignedRoles, invitation.assignedRoles);
      const viaApi = await api('GET', `/v1/organizations/${org}/members/${member.userId}`);
      assert.equal(viaApi.status, 200, viaApi.text);
      assert.deepEqual(viaApi.body.result, member, '--json prints the Member as the API shows it');
      assert.equal((await api('GET', `/v1/organizations/${org}/invitations/${invitation.id}`)).status, 404);
      const developerRole = (await api('GET', `/v1/organizations/${org}/roles/${systemRoleId(org, 'developer')}`)).body.result;
      assert.ok(developerRole.actors.includes(`user/${member.userId}`));
      assert.ok(!JSON.stringify(developerRole).includes(invitation.id));
      const [join] = await activities();
      assert.equal(join.type, 'organization_member_join');
      assert.equal(join.actorType, 'user');
      assert.equal(join.actorId, member.userId);
      assert.equal(join.actorDetails, 'user grace@example.com');
      // Accepting it again: it is gone.
      const again = cli('invitations', 'accept', '--invitation', invitation.id);
      assert.equal(again.status, 1);
      assert.equal(again.stderr, `orgplane: Invitation ${invitation.id} not found\n`);
    });

    it('invitations accept takes --name and prints a table without --json', async () => {
      const invitation = await invite({ email: `named-${randomUUID()}@example.com` });
      const res = cli('invitations', 'accept', '--invitation', invitation.id, '--name', 'Named Person');
      assert.equal(res.status, 0, res.stderr);
      assert.match(res.stdout, /USER ID/);
      assert.match(res.stdout, /Named Person/);
      assert.match(res.stdout, /Member/);
    });

    it('invitations accept refuses an expired or unknown invitation: exit 1, one clear line', async () => {
      const invitation = await invite({ email: `late-${randomUUID()}@example.com` });
      await database.db.updateTable('invitations').set({ expire_at: '2001-01-01T00:00:00.000Z' }).where('id', '=', invitation.id).execute();
      const before = await activities();
      const expired = cli('invitations', 'accept', '--invitation', invitation.id, '--json');
      assert.equal(expired.status, 1);
      assert.equal(expired.stdout, '');
      assert.equal(expired.stderr, `orgplane: Invitation ${invitation.id} expired at 2001-01-01T00:00:00.000Z; invite ${invitation.email} again\n`);
      assert.equal((await api('GET', `/v1/organizations/${org}/invitations/${invitation.id}`)).status, 200, 'still listed');
      const unknown = randomUUID();
      const res = cli('invitations', 'accept', '--invitation', unknown);
      assert.equal(res.status, 1);
      assert.equal(res.stderr, `orgplane: Invitation ${unknown} not found\n`);
      assert.deepEqual(await activities(), before);
    });

    it('an invitation from a server run with --invitation-ttl 1s expires after a second', async () => {
      const short = await startServe(['--database', testDb.url, '--rate-limit', 'off', '--invitation-ttl', '1s']);
      try {
        const res = await request(short, 'POST', `/v1/organizations/${org}/invitations`, { auth: admin, body: { email: `brief-${randomUUID()}@example.com` } });
        assert.equal(res.status, 200, res.text);
        assert.equal(Date.parse(res.body.result.expireAt) - Date.parse(res.body.result.createdAt), 1000);
        await new Promise((resolve) => setTimeout(resolve, 1100));
        const accept = cli('invitations', 'accept', '--invitation', res.body.result.id);
        assert.equal(accept.status, 1);
        assert.match(accept.stderr, /^orgplane: Invitation \S+ expired at /);
      } finally {
        await short.stop();
      }
      const bad = runCli(['serve', '--port', '0', '--database', testDb.url, '--invitation-ttl', '7 days']);
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /invalid invitation lifetime "7 days"/);
    });

    it('members add --json adds a member (default: the Member role) and records organization_member_add as the system', async () => {
      const res = cli('members', 'add', '--org', org, '--email', 'Ada@Example.com', '--name', 'Ada Lovelace', '--json');
      assert.equal(res.status, 0, res.stderr);
      const member = oneJsonObject(res.stdout);
      assertVendorShape('Member', member);
      assert.equal(member.email, 'ada@example.com');
      assert.equal(member.name, 'Ada Lovelace');
      assert.equal(member.role, undefined);
      assert.deepEqual(member.assignedRoles, [{ roleId: systemRoleId(org, 'member'), roleName: 'Member', roleType: 'system' }]);
      assert.deepEqual((await api('GET', `/v1/organizations/${org}/members/${member.userId}`)).body.result, member);
      const [added] = await activities();
      assert.deepEqual([added.type, added.actorType, added.actorId, added.actorDetails], ['organization_member_add', 'system', 'orgplane-cli', 'orgplane members add']);
    });

    it('members add takes --role or repeated --role-id (agreeing), and refuses an existing member, a disagreement, a bad email: exit 1, one line', async () => {
      const admin1 = oneJsonObject(cli('members', 'add', '--org', org, '--email', `boss-${randomUUID()}@example.com`, '--role', 'admin', '--json').stdout);
      assert.equal(admin1.role, 'admin');
      const two = cli('members', 'add', '--org', org, '--email', `two-${randomUUID()}@example.com`, '--role-id', systemRoleId(org, 'developer'), '--role-id', systemRoleId(org, 'billing'), '--json');
      assert.equal(two.status, 0, two.stderr);
      assert.deepEqual(
        oneJsonObject(two.stdout).assignedRoles.map((r: any) => r.roleName),
        ['Developer', 'Billing'],
      );
      const agree = cli('members', 'add', '--org', org, '--email', `agree-${randomUUID()}@example.com`, '--role', 'developer', '--role-id', systemRoleId(org, 'developer'), '--json');
      assert.equal(agree.status, 0, agree.stderr);
      const before = await activities();
      const refusals: [string[], RegExp][] = [
        [['--email', admin1.email.toUpperCase()], new RegExp(`^orgplane: ${admin1.email} is already a member of this organization\\n$`)],
        [['--email', `x-${randomUUID()}@example.com`, '--role', 'admin', '--role-id', systemRoleId(org, 'developer')], /^orgplane: Invalid fields 'role' and 'assignedRoleIds'.*\n$/],
        [['--email', `x-${randomUUID()}@example.com`, '--role-id', randomUUID()], /^orgplane: Invalid field 'assignedRoleIds\[0\]'.*\n$/],
        [['--email', 'not-an-email'], /^orgplane: Invalid field 'email': must be a valid email\n$/],
      ];
      for (const [args, message] of refusals) {
        const res = cli('members', 'add', '--org', org, ...args);
        assert.equal(res.status, 1, `${args.join(' ')}: ${res.stdout}`);
        assert.match(res.stderr, message);
      }
      const unknownOrg = cli('members', 'add', '--org', randomUUID(), '--email', 'a@example.com');
      assert.equal(unknownOrg.status, 1);
      assert.equal(unknownOrg.stderr, 'orgplane: Organization not found\n');
      assert.deepEqual(await activities(), before);
    });

    it('members add reuses the userId an email has in another organization', async () => {
      const email = `twice-${randomUUID()}@example.com`;
      const here = oneJsonObject(cli('members', 'add', '--org', org, '--email', email, '--json').stdout);
      const boot = JSON.parse(cli('bootstrap', '--org-name', 'Elsewhere', '--json').stdout);
      const there = oneJsonObject(cli('members', 'add', '--org', boot.organizationId, '--email', email, '--json').stdout);
      assert.equal(there.userId, here.userId);
    });

    it('both refuse a database that does not exist and need their required flags', () => {
      const missing = runCli(['members', 'add', '--org', org, '--email', 'a@example.com', '--database', `sqlite:/tmp/orgplane-missing-${randomUUID()}.db`]);
      assert.notEqual(missing.status, 0);
      assert.match(missing.stderr, /no database at/);
      const missingAccept = runCli(['invitations', 'accept', '--invitation', randomUUID(), '--database', `sqlite:/tmp/orgplane-missing-${randomUUID()}.db`]);
      assert.notEqual(missingAccept.status, 0);
      assert.match(missingAccept.stderr, /no database at/);
      assert.equal(cli('members', 'add', '--org', org).status, 2);
      assert.equal(cli('members', 'add', '--org', org, '--email', 'a@example.com', '--role', 'owner').status, 2);
      assert.equal(cli('invitations', 'accept').status, 2);
    });

    it('client commands: member list / get / update / remove over HTTP', async () => {
      const env = { ORGPLANE_URL: serve.url, ORGPLANE_KEY_ID: admin.keyId, ORGPLANE_KEY_SECRET: admin.keySecret };
      const added = oneJsonObject(cli('members', 'add', '--org', org, '--email', `client-${randomUUID()}@example.com`, '--json').stdout);
      const table = await runCliAsync(['member', 'list'], env);
      assert.equal(table.status, 0, table.stderr);
      assert.match(table.stdout, /^USER ID\s+NAME\s+EMAIL\s+ROLE\s+ASSIGNED ROLES\s+JOINED/);
      assert.ok(table.stdout.includes(added.userId));
      const list = JSON.parse((await runCliAsync(['member', 'list', '--json'], env)).stdout);
      assertVendorShape('Member', list, { array: true });
      assert.deepEqual(list, (await api('GET', `/v1/organizations/${org}/members`)).body.result);
      assert.deepEqual(JSON.parse((await runCliAsync(['member', 'get', added.userId, '--json'], env)).stdout), added);
      const updated = JSON.parse((await runCliAsync(['member', 'update', added.userId, '--role-id', systemRoleId(org, 'developer'), '--role-id', systemRoleId(org, 'billing'), '--json'], env)).stdout);
      assert.deepEqual(updated.assignedRoles.map((r: any) => r.roleName), ['Developer', 'Billing']);
      const legacy = JSON.parse((await runCliAsync(['member', 'update', added.userId, '--role', 'admin', '--json'], env)).stdout);
      assert.equal(legacy.role, 'admin');
      const nothing = await runCliAsync(['member', 'update', added.userId], env);
      assert.equal(nothing.status, 2);
      assert.match(nothing.stderr, /nothing to update/);
      const removed = await runCliAsync(['member', 'remove', added.userId], env);
      assert.equal(removed.status, 0, removed.stderr);
      assert.equal(removed.stdout, `Removed member ${added.userId}.\n`);
      const gone = await runCliAsync(['member', 'get', added.userId], env);
      assert.equal(gone.status, 1);
      assert.match(gone.stderr, /^orgplane: Member not found \(HTTP 404, requestId [0-9a-f-]{36}\)\n$/);
    });

    it('client commands: invitation create / list / get / delete over HTTP', async () => {
      const env = { ORGPLANE_URL: serve.url, ORGPLANE_KEY_ID: admin.keyId, ORGPLANE_KEY_SECRET: admin.keySecret };
      const res = await runCliAsync(['invitation', 'create', '--email', 'Client@Example.com', '--role-id', systemRoleId(org, 'developer'), '--json'], env);
      assert.equal(res.status, 0, res.stderr);
      const created = JSON.parse(res.stdout);
      assertVendorShape('Invitation', created);
      assert.equal(created.email, 'client@example.com');
      assert.equal(created.role, 'developer');
      const legacy = JSON.parse((await runCliAsync(['invitation', 'create', '--email', `legacy-${randomUUID()}@example.com`, '--role', 'admin', '--json'], env)).stdout);
      assert.equal(legacy.role, 'admin');
      const table = await runCliAsync(['invitation', 'list'], env);
      assert.match(table.stdout, /^ID\s+EMAIL\s+ROLE\s+ASSIGNED ROLES\s+CREATED\s+EXPIRES/);
      assert.ok(table.stdout.includes(created.id));
      const list = JSON.parse((await runCliAsync(['invitation', 'list', '--json'], env)).stdout);
      assertVendorShape('Invitation', list, { array: true });
      assert.ok(list.some((i: any) => i.id === created.id));
      assert.deepEqual(JSON.parse((await runCliAsync(['invitation', 'get', created.id, '--json'], env)).stdout), created);
      const conflict = await runCliAsync(['invitation', 'create', '--email', 'client@example.com'], env);
      assert.equal(conflict.status, 1);
      assert.match(conflict.stderr, /already has an open invitation .*\(HTTP 409, requestId /);
      const deleted = await runCliAsync(['invitation', 'delete', created.id, '--json'], env);
      assert.equal(deleted.status, 0, deleted.stderr);
      assert.deepEqual(JSON.parse(deleted.stdout), { deleted: created.id });
      assert.equal((await runCliAsync(['invitation', 'get', created.id], env)).status, 1);
    });
  });
}
