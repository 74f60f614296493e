// One orgplane per test file, reset before each test: the pattern the README
// recommends, and one of the eight files test/integration/testing-kit-parallel.test.ts
// runs side by side. Members come only from a fixture (or the operator's CLI), so
// this server starts from one: every reset returns to it. Every assertion is an
// exact value that another file's reset or clock would change, were they sharing this server.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { startOrgplane, type Orgplane } from 'orgplane/testing';

const fixture = {
  organizations: [
    {
      // Without an ID each reset would create the organization under a new one, and op.organizationId would name none.
      id: '3f0c8a52-5d0e-4c4b-9b1e-6a2d7c9e4f10',
      name: 'Members org',
      keys: [{ name: 'members admin', keyId: 'membersKitKeyId00001', keySecret: 'membersKitSecret00000000000000000000000001', roles: ['admin'] }],
      members: [
        { email: 'ada@example.com', name: 'Ada', role: 'developer' },
        { email: 'grace@example.com', name: 'Grace', role: 'developer' },
      ],
    },
  ],
};

let op: Orgplane;
before(async () => {
  op = await startOrgplane({ fixture, clock: '2026-01-01T00:00:00Z,frozen' });
});
after(() => op.stop());
beforeEach(() => op.controls.POST('/_orgplane/reset'));

const listMembers = async () => {
  const { data } = await op.client.GET('/v1/organizations/{organizationId}/members', { params: { path: { organizationId: op.organizationId } } });
  return data!.result.sort((a, b) => a.email.localeCompare(b.email));
};

test('the fixture\'s two members joined at the clock\'s start, as developers', async () => {
  const members = await listMembers();
  assert.deepEqual(
    members.map((m) => [m.email, m.name, m.role, m.joinedAt]),
    [
      ['ada@example.com', 'Ada', 'developer', '2026-01-01T00:00:00.000Z'],
      ['grace@example.com', 'Grace', 'developer', '2026-01-01T00:00:00.000Z'],
    ],
  );
});

test('a member made admin and another removed, 30 min later', async () => {
  const [ada, grace] = await listMembers();
  const { data: clock } = await op.controls.POST('/_orgplane/clock/advance', { body: { seconds: 1800 } });
  assert.equal(clock!.result.now, '2026-01-01T00:30:00.000Z');
  await op.client.PATCH('/v1/organizations/{organizationId}/members/{userId}', {
    params: { path: { organizationId: op.organizationId, userId: ada!.userId } },
    body: { role: 'admin' },
  });
  await op.client.DELETE('/v1/organizations/{organizationId}/members/{userId}', { params: { path: { organizationId: op.organizationId, userId: grace!.userId } } });
  const members = await listMembers();
  assert.deepEqual(members.map((m) => [m.email, m.role]), [['ada@example.com', 'admin']]);
  const { data } = await op.client.GET('/v1/organizations/{organizationId}/activities', {
    params: { path: { organizationId: op.organizationId }, query: { from_date: '2026-01-01T00:00:01Z' } },
  });
  assert.deepEqual(
    data!.result.map((a) => [a.type, a.createdAt]).sort(),
    [
      ['organization_member_delete', '2026-01-01T00:30:00.000Z'],
      ['organization_member_update_role', '2026-01-01T00:30:00.000Z'],
    ],
  );
});

test('the reset brings both members back as the fixture has them', async () => {
  const members = await listMembers();
  assert.deepEqual(members.map((m) => [m.email, m.role]), [['ada@example.com', 'developer'], ['grace@example.com', 'developer']]);
  const { data } = await op.controls.GET('/_orgplane/clock');
  assert.equal(data!.result.now, '2026-01-01T00:00:00.000Z');
});
