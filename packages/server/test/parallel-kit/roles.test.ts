// One orgplane per test file, reset before each test: the pattern the README
// recommends, and one of the eight files test/integration/testing-kit-parallel.test.ts
// runs side by side. Every assertion is an exact value that another file's
// reset, roles or clock would change, were they sharing this server.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { startOrgplane, type Orgplane } from 'orgplane/testing';

let op: Orgplane;
before(async () => {
  op = await startOrgplane({ clock: '2026-01-01T00:00:00Z,frozen' });
});
after(() => op.stop());
beforeEach(() => op.controls.POST('/_orgplane/reset'));

const SYSTEM_ROLES = ['Admin', 'Billing', 'Developer', 'Member', 'Org API reader', 'Query endpoints'];

const listRoles = async () => {
  const { data } = await op.client.GET('/v1/organizations/{organizationId}/roles', { params: { path: { organizationId: op.organizationId } } });
  return data!.result;
};
const createRole = async (name: string) => {
  const { data } = await op.client.POST('/v1/organizations/{organizationId}/roles', {
    params: { path: { organizationId: op.organizationId } },
    body: { name, actors: [], policies: [{ allowDeny: 'ALLOW', permissions: ['control-plane:organization:view'], resources: [`organization/${op.organizationId}`] }] },
  });
  return data!.result;
};

test('two custom roles join the six system roles, created at the frozen clock', async () => {
  await createRole('roles-auditor');
  await createRole('roles-viewer');
  const roles = await listRoles();
  assert.deepEqual(roles.map((r) => r.name).sort(), [...SYSTEM_ROLES, 'roles-auditor', 'roles-viewer'].sort());
  assert.deepEqual(roles.filter((r) => r.type === 'custom').map((r) => r.createdAt), ['2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z']);
});

test('the reset leaves the system roles alone', async () => {
  const roles = await listRoles();
  assert.deepEqual(roles.map((r) => r.name).sort(), SYSTEM_ROLES);
  assert.equal(roles.filter((r) => r.type === 'custom').length, 0);
});

test('a role renamed a day later keeps its createdAt and takes the new updatedAt', async () => {
  const role = await createRole('roles-renamed');
  const { data: clock } = await op.controls.POST('/_orgplane/clock/advance', { body: { seconds: 86_400 } });
  assert.equal(clock!.result.now, '2026-01-02T00:00:00.000Z');
  const { data } = await op.client.PATCH('/v1/organizations/{organizationId}/roles/{roleId}', {
    params: { path: { organizationId: op.organizationId, roleId: role.id } },
    body: { name: 'roles-renamed-later' },
  });
  assert.equal(data!.result.name, 'roles-renamed-later');
  assert.equal(data!.result.createdAt, '2026-01-01T00:00:00.000Z');
  assert.equal(data!.result.updatedAt, '2026-01-02T00:00:00.000Z');
  assert.equal((await listRoles()).length, 7);
});

test('a deleted custom role is gone, the others stay', async () => {
  const keep = await createRole('roles-keep');
  const drop = await createRole('roles-drop');
  await op.client.DELETE('/v1/organizations/{organizationId}/roles/{roleId}', { params: { path: { organizationId: op.organizationId, roleId: drop.id } } });
  const custom = (await listRoles()).filter((r) => r.type === 'custom');
  assert.deepEqual(custom.map((r) => r.id), [keep.id]);
});
