import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { systemRoleId } from '../../src/domain/roles/system-roles.js';
import { runCliAsync as runCli } from '../helpers/cli.js';
import { KeyApi } from '../helpers/key-api.js';
import { RoleApi, VIEW, VIEW_KEYS } from '../helpers/role-api.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { assertVendorShape } from '../helpers/vendor-schemas.js';

// `orgplane role list|get|create|update|delete` and `--role-id` on `orgplane key
// create|update`, against a real server over HTTP (the built CLI).

describe('CLI client commands (role, key --role-id) over HTTP', () => {
  let server: TestServer;
  let env: NodeJS.ProcessEnv;
  let roles: RoleApi;
  let keys: KeyApi;
  let dir: string;
  before(async () => {
    server = await startTestServer();
    env = { ORGPLANE_URL: server.url, ORGPLANE_KEY_ID: server.admin.keyId, ORGPLANE_KEY_SECRET: server.admin.keySecret };
    roles = new RoleApi(server, server.organizationId, server.admin);
    keys = new KeyApi(server);
    dir = mkdtempSync(join(tmpdir(), 'orgplane-cli-roles-'));
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await server.close();
  });

  const json = async (args: string[]) => {
    const res = await runCli([...args, '--json'], env);
    assert.equal(res.status, 0, `${args.join(' ')}: ${res.stderr}`);
    return JSON.parse(res.stdout);
  };
  const admin = () => systemRoleId(server.organizationId, 'admin');
  const viewPolicy = { allowDeny: 'ALLOW', permissions: [VIEW], resources: ['*'] };

  it('role list prints the system roles then the custom ones as a table with full IDs, and the RBACRole list with --json', async () => {
    const table = await runCli(['role', 'list'], env);
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stdout, /^ID\s+NAME\s+TYPE\s+POLICIES\s+ACTORS\s+UPDATED/);
    for (const code of ['admin', 'developer', 'billing', 'org_api_reader', 'member', 'query_endpoints'] as const) assert.ok(table.stdout.includes(systemRoleId(server.organizationId, code)), code);
    assert.match(table.stdout, /Org API reader\s+system/);
    assert.match(table.stdout, /ALLOW control-plane:organization:view,/);
    const list = await json(['role', 'list']);
    assertVendorShape('RBACRole', list, { array: true });
    assert.deepEqual(list, await roles.list());
    const one = await json(['role', 'get', admin()]);
    assertVendorShape('RBACRole', one);
    assert.deepEqual(one, list[0]);
  });

  it('role create takes --name, --policy (an object or an array, repeatable), --policies-file and --actor (repeatable)', async () => {
    const a = await keys.create({ name: 'cli actor a', roles: undefined, assignedRoleIds: [] });
    const b = await keys.create({ name: 'cli actor b', roles: undefined, assignedRoleIds: [] });
    const created = await json([
      'role', 'create', '--name', 'CLI readers',
      '--policy', JSON.stringify(viewPolicy),
      '--policy', JSON.stringify([{ allowDeny: 'DENY', permissions: [VIEW_KEYS], resources: [`organization/${server.organizationId}`] }]),
      '--actor', `apiKey/${a.id}`, '--actor', `apiKey/${b.id}`,
    ]);
    assertVendorShape('RBACRole', created);
    assert.equal(created.name, 'CLI readers');
    assert.equal(created.type, 'custom');
    assert.deepEqual(created.policies.map((p: any) => [p.allowDeny, p.permissions, p.resources]), [['ALLOW', [VIEW], ['*']], ['DENY', [VIEW_KEYS], [`organization/${server.organizationId}`]]]);
    assert.deepEqual([...created.actors].sort(), [`apiKey/${a.id}`, `apiKey/${b.id}`].sort());
    assert.deepEqual(await roles.get(created.id), created);
    // The keys hold it now.
    assert.deepEqual((await roles.getKey(a.id)).assignedRoles, [{ roleId: created.id, roleName: 'CLI readers', roleType: 'custom' }]);

    const file = join(dir, 'policies.json');
    writeFileSync(file, JSON.stringify([viewPolicy, { allowDeny: 'ALLOW', permissions: ['control-plane:service:view'], resources: ['instance/*'] }]));
    const fromFile = await json(['role', 'create', '--name', 'CLI from file', '--policies-file', file, '--policy', JSON.stringify({ allowDeny: 'ALLOW', permissions: [VIEW_KEYS], resources: ['*'] })]);
    assert.deepEqual(fromFile.policies.map((p: any) => p.permissions), [[VIEW], ['control-plane:service:view'], [VIEW_KEYS]]);
    assert.deepEqual(fromFile.actors, []);
    // Neither --policy nor --actor: an empty role.
    const empty = await json(['role', 'create', '--name', 'CLI empty']);
    assert.deepEqual([empty.policies, empty.actors], [[], []]);
    // The table form shows the created role.
    const table = await runCli(['role', 'create', '--name', 'CLI table', '--policy', JSON.stringify(viewPolicy)], env);
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stdout, /^ID\s+NAME\s+TYPE/);
    assert.match(table.stdout, /CLI table\s+custom\s+ALLOW control-plane:organization:view on \*/);
  });

  it('role update replaces what it is given: --name, --policy, --actor ("" clears the actors), and role delete removes the role', async () => {
    const key = await keys.create({ name: 'cli update actor', roles: undefined, assignedRoleIds: [] });
    const role = await roles.create('CLI to update', [viewPolicy as any], [`apiKey/${key.id}`]);
    const renamed = await json(['role', 'update', role.id, '--name', 'CLI updated']);
    assert.equal(renamed.name, 'CLI updated');
    assert.deepEqual(renamed.policies, role.policies);
    assert.deepEqual(renamed.actors, role.actors);
    const newPolicies = await json(['role', 'update', role.id, '--policy', JSON.stringify({ allowDeny: 'ALLOW', permissions: [VIEW_KEYS], resources: ['*'] })]);
    assert.deepEqual(newPolicies.policies.map((p: any) => p.permissions), [[VIEW_KEYS]]);
    assert.deepEqual(newPolicies.actors, role.actors);
    const noActors = await json(['role', 'update', role.id, '--actor', '']);
    assert.deepEqual(noActors.actors, []);
    assert.deepEqual(noActors.policies, newPolicies.policies);
    const actorsAgain = await json(['role', 'update', role.id, '--actor', `apiKey/${key.id}`]);
    assert.deepEqual(actorsAgain.actors, [`apiKey/${key.id}`]);
    const noPolicies = await json(['role', 'update', role.id, '--policy', '[]']);
    assert.deepEqual(noPolicies.policies, []);
    assert.deepEqual(await roles.get(role.id), noPolicies);

    const deleted = await runCli(['role', 'delete', role.id], env);
    assert.equal(deleted.status, 0, deleted.stderr);
    assert.equal(deleted.stdout, `Deleted role ${role.id}.\n`);
    assert.deepEqual((await roles.getKey(key.id)).assignedRoles, []);
    const gone = await runCli(['role', 'get', role.id], env);
    assert.equal(gone.status, 1);
    assert.match(gone.stderr, /Role not found \(HTTP 404, requestId [0-9a-f-]{36}\)/);
    const again = await roles.create('CLI deleted json', []);
    assert.deepEqual(await json(['role', 'delete', again.id]), { deleted: again.id });
  });

  it("role update --actor on a system role assigns it (its actors only; --name is refused naming the field)", async () => {
    const key = await keys.create({ name: 'cli system actor', roles: undefined, assignedRoleIds: [] });
    const member = systemRoleId(server.organizationId, 'member');
    const held = (await roles.get(member)).actors;
    const assigned = await json(['role', 'update', member, ...held.flatMap((a: string) => ['--actor', a]), '--actor', `apiKey/${key.id}`]);
    assertVendorShape('RBACRole', assigned);
    assert.deepEqual(assigned.actors, [...held, `apiKey/${key.id}`].sort());
    assert.deepEqual((await roles.getKey(key.id)).assignedRoles.map((r: any) => r.roleName), ['Member']);
    const renamed = await runCli(['role', 'update', member, '--name', 'Members', '--actor', ''], env);
    assert.equal(renamed.status, 1);
    assert.match(renamed.stderr, /Invalid field 'name': System role 'Member' cannot be changed.*\(HTTP 400/);
    assert.deepEqual((await json(['role', 'update', member, ...held.flatMap((a: string) => ['--actor', a]), ...(held.length === 0 ? ['--actor', ''] : [])])).actors, held);
    assert.deepEqual((await roles.getKey(key.id)).assignedRoles, []);
  });

  it('key create --role-id (repeatable) sends assignedRoleIds; --role still sends the deprecated roles; key update --role-id changes the roles', async () => {
    const custom = await roles.create('CLI key role', [viewPolicy as any]);
    const created = await json(['key', 'create', '--name', 'cli role ids', '--role-id', custom.id, '--role-id', admin()]);
    assertVendorShape('ApiKeyPostResponse', created);
    assert.deepEqual(created.key.assignedRoles, [
      { roleId: admin(), roleName: 'Admin', roleType: 'system' },
      { roleId: custom.id, roleName: 'CLI key role', roleType: 'custom' },
    ]);
    assert.deepEqual(created.key.roles, ['admin']);
    const none = await json(['key', 'create', '--name', 'cli no roles', '--role-id', '']);
    assert.deepEqual([none.key.roles, none.key.assignedRoles], [[], []]);
    const legacy = await json(['key', 'create', '--name', 'cli legacy', '--role', 'developer']);
    assert.deepEqual(legacy.key.roles, ['developer']);
    assert.deepEqual(legacy.key.assignedRoles, [{ roleId: systemRoleId(server.organizationId, 'developer'), roleName: 'Developer', roleType: 'system' }]);
    const both = await json(['key', 'create', '--name', 'cli both', '--role', 'admin', '--role-id', admin()]);
    assert.deepEqual(both.key.roles, ['admin']);

    const before = await keys.activities();
    const updated = await json(['key', 'update', none.key.id, '--role-id', custom.id]);
    assertVendorShape('ApiKey', updated);
    assert.deepEqual(updated.assignedRoles, [{ roleId: custom.id, roleName: 'CLI key role', roleType: 'custom' }]);
    const written = (await keys.activitiesSince(before)).filter((a) => a.targetKeyId === none.key.id);
    assert.deepEqual(written.map((a) => a.keyUpdateType), ['roles-v2-changed']);
    const cleared = await json(['key', 'update', none.key.id, '--role-id', '']);
    assert.deepEqual(cleared.assignedRoles, []);
    const viaLegacy = await json(['key', 'update', none.key.id, '--role', 'query_endpoints']);
    assert.deepEqual(viaLegacy.roles, ['query_endpoints']);

    // The key table shows the assigned roles by name and ID.
    const table = await runCli(['key', 'get', created.key.id], env);
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stdout, /ASSIGNED ROLES/);
    assert.ok(table.stdout.includes(`Admin (${admin()})`));
    assert.ok(table.stdout.includes(`CLI key role (${custom.id})`));
  });

  it('exits 1 with the message and requestId on API errors', async () => {
    const duplicate = await runCli(['role', 'create', '--name', 'admin'], env);
    assert.equal(duplicate.status, 1);
    assert.match(duplicate.stderr, /A role named 'admin' already exists.*\(HTTP 409, requestId [0-9a-f-]{36}\)/);
    const system = await runCli(['role', 'update', admin(), '--name', 'root'], env);
    assert.equal(system.status, 1);
    assert.match(system.stderr, /System role 'Admin' cannot be changed.*\(HTTP 400/);
    const badPermission = await runCli(['role', 'create', '--name', 'bad', '--policy', '{"allowDeny":"ALLOW","permissions":["nope"],"resources":["*"]}'], env);
    assert.equal(badPermission.status, 1);
    assert.match(badPermission.stderr, /policies\[0\]\.permissions\[0\].*HTTP 400/);
    const badRoleId = await runCli(['key', 'create', '--name', 'bad', '--role-id', '00000000-0000-4000-8000-000000000000'], env);
    assert.equal(badRoleId.status, 1);
    assert.match(badRoleId.stderr, /assignedRoleIds\[0\].*HTTP 400/);
  });

  it('exits 2 on usage errors', async () => {
    for (const args of [
      ['role', 'create'],
      ['role', 'create', '--name', 'x', '--policy', 'not json'],
      ['role', 'create', '--name', 'x', '--policy', '42'],
      ['role', 'create', '--name', 'x', '--policies-file', join(dir, 'missing.json')],
      ['role', 'update', admin()],
      ['role', 'get'],
      ['key', 'create', '--name', 'x'],
    ]) {
      const res = await runCli(args, env);
      assert.equal(res.status, 2, `${args.join(' ')}: ${res.stdout}${res.stderr}`);
    }
    assert.equal((await roles.list()).some((r) => r.name === 'x'), false);
  });

  it('has --help with examples on every role command', async () => {
    for (const command of [['role', 'list'], ['role', 'get'], ['role', 'create'], ['role', 'update'], ['role', 'delete']]) {
      const res = await runCli([...command, '--help']);
      assert.equal(res.status, 0);
      assert.match(res.stdout, /Example/, command.join(' '));
    }
    const keyCreate = await runCli(['key', 'create', '--help']);
    assert.match(keyCreate.stdout, /--role-id <id>/);
  });
});
