// One orgplane per test file, reset before each test: the pattern the README
// recommends, and one of the eight files test/integration/testing-kit-parallel.test.ts
// runs side by side. Every assertion is an exact value that another file's
// reset, patch or clock would change, were they sharing this server.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { startOrgplane, type Orgplane } from 'orgplane/testing';

let op: Orgplane;
before(async () => {
  op = await startOrgplane({ clock: '2026-01-01T00:00:00Z,frozen' });
});
after(() => op.stop());
beforeEach(() => op.controls.POST('/_orgplane/reset'));

const getOrganization = async () => {
  const { data } = await op.client.GET('/v1/organizations/{organizationId}', { params: { path: { organizationId: op.organizationId } } });
  return data!.result;
};
const patch = async (body: { name?: string; enableCoreDumps?: boolean; privateEndpoints?: { add?: { id: string; cloudProvider?: 'aws'; region?: 'us-east-1' }[] } }) => {
  const { data } = await op.client.PATCH('/v1/organizations/{organizationId}', { params: { path: { organizationId: op.organizationId } }, body });
  return data!.result;
};

test('a renamed organization reads back renamed, with its rename in the activity log', async () => {
  const { data: clock } = await op.controls.POST('/_orgplane/clock/advance', { body: { seconds: 600 } });
  assert.equal(clock!.result.now, '2026-01-01T00:10:00.000Z');
  await patch({ name: 'Renamed by the organization file' });
  const organization = await getOrganization();
  assert.equal(organization.name, 'Renamed by the organization file');
  assert.equal(organization.createdAt, '2026-01-01T00:00:00.000Z');
  const { data } = await op.client.GET('/v1/organizations/{organizationId}/activities', { params: { path: { organizationId: op.organizationId } } });
  assert.deepEqual(
    data!.result.filter((a) => a.type === 'organization_update_name').map((a) => a.createdAt),
    ['2026-01-01T00:10:00.000Z'],
  );
});

test('the reset restores the name and leaves no private endpoint', async () => {
  const organization = await getOrganization();
  assert.equal(organization.name, 'Test organization');
  assert.deepEqual(organization.privateEndpoints, []);
  assert.equal(organization.enableCoreDumps, false);
});

test('two private endpoints and core dumps, patched in two steps', async () => {
  await patch({ privateEndpoints: { add: [{ id: 'vpce-org-1', cloudProvider: 'aws', region: 'us-east-1' }] } });
  await patch({ privateEndpoints: { add: [{ id: 'vpce-org-2', cloudProvider: 'aws', region: 'us-east-1' }] }, enableCoreDumps: true });
  const organization = await getOrganization();
  assert.deepEqual(organization.privateEndpoints.map((e) => e.id), ['vpce-org-1', 'vpce-org-2']);
  assert.equal(organization.enableCoreDumps, true);
  assert.equal(organization.name, 'Test organization');
});
