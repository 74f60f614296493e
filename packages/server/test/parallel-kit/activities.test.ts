// One orgplane per test file, reset before each test: the pattern the README
// recommends, and one of the eight files test/integration/testing-kit-parallel.test.ts
// runs side by side. Every assertion is an exact value that another file's
// reset, writes or clock would change, were they sharing this server.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { startOrgplane, type Orgplane } from 'orgplane/testing';

let op: Orgplane;
before(async () => {
  op = await startOrgplane({ clock: '2026-01-01T00:00:00Z,frozen' });
});
after(() => op.stop());
beforeEach(() => op.controls.POST('/_orgplane/reset'));

const listActivities = async (query: { from_date?: string; to_date?: string } = {}) => {
  const { data } = await op.client.GET('/v1/organizations/{organizationId}/activities', { params: { path: { organizationId: op.organizationId }, query } });
  return data!.result.map((a) => [a.type, a.createdAt]).sort();
};
const advance = async (seconds: number) => {
  const { data } = await op.controls.POST('/_orgplane/clock/advance', { body: { seconds } });
  return data!.result.now;
};

test('a fresh organization has two activities: its creation and its key\'s', async () => {
  assert.deepEqual(await listActivities(), [
    ['create_organization', '2026-01-01T00:00:00.000Z'],
    ['key_create', '2026-01-01T00:00:00.000Z'],
  ]);
});

test('a key created, then deleted 90 s later: both activities at the clock\'s times', async () => {
  const { data } = await op.client.POST('/v1/organizations/{organizationId}/keys', {
    params: { path: { organizationId: op.organizationId } },
    body: { name: 'activities-key', roles: ['developer'] },
  });
  assert.equal(await advance(90), '2026-01-01T00:01:30.000Z');
  await op.client.DELETE('/v1/organizations/{organizationId}/keys/{keyId}', {
    params: { path: { organizationId: op.organizationId, keyId: data!.result.key.id } },
  });
  assert.deepEqual(await listActivities(), [
    ['create_organization', '2026-01-01T00:00:00.000Z'],
    ['key_create', '2026-01-01T00:00:00.000Z'],
    ['key_create', '2026-01-01T00:00:00.000Z'],
    ['key_delete', '2026-01-01T00:01:30.000Z'],
  ]);
});

test('after the reset, a window from the third day holds only what was written there', async () => {
  assert.deepEqual(await listActivities(), [
    ['create_organization', '2026-01-01T00:00:00.000Z'],
    ['key_create', '2026-01-01T00:00:00.000Z'],
  ]);
  assert.equal(await advance(2 * 86_400), '2026-01-03T00:00:00.000Z');
  await op.client.PATCH('/v1/organizations/{organizationId}', { params: { path: { organizationId: op.organizationId } }, body: { name: 'Activities day three' } });
  assert.deepEqual(await listActivities({ from_date: '2026-01-03' }), [['organization_update_name', '2026-01-03T00:00:00.000Z']]);
  assert.deepEqual(await listActivities({ to_date: '2026-01-02' }), [
    ['create_organization', '2026-01-01T00:00:00.000Z'],
    ['key_create', '2026-01-01T00:00:00.000Z'],
  ]);
});
