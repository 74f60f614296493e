// One orgplane per test file, reset before each test: the pattern the README
// recommends, and one of the eight files test/integration/testing-kit-parallel.test.ts
// runs side by side. Every assertion is an exact value that another file's
// reset or clock would change, were they sharing this server.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { startOrgplane, type Orgplane } from 'orgplane/testing';

let op: Orgplane;
before(async () => {
  op = await startOrgplane({ clock: '2026-01-01T00:00:00Z,frozen' });
});
after(() => op.stop());
beforeEach(() => op.controls.POST('/_orgplane/reset'));

const invite = async (email: string) => {
  const { data } = await op.client.POST('/v1/organizations/{organizationId}/invitations', {
    params: { path: { organizationId: op.organizationId } },
    body: { email, role: 'developer' },
  });
  return data!.result;
};
const listInvitations = async () => {
  const { data } = await op.client.GET('/v1/organizations/{organizationId}/invitations', { params: { path: { organizationId: op.organizationId } } });
  return data!.result;
};

test('three invitations, each open for exactly the default 7 days', async () => {
  for (const email of ['one@example.com', 'two@example.com', 'three@example.com']) await invite(email);
  const invitations = await listInvitations();
  assert.deepEqual(
    invitations.map((i) => [i.email, i.createdAt, i.expireAt]).sort(),
    [
      ['one@example.com', '2026-01-01T00:00:00.000Z', '2026-01-08T00:00:00.000Z'],
      ['three@example.com', '2026-01-01T00:00:00.000Z', '2026-01-08T00:00:00.000Z'],
      ['two@example.com', '2026-01-01T00:00:00.000Z', '2026-01-08T00:00:00.000Z'],
    ],
  );
});

test('the reset leaves no invitation', async () => {
  assert.deepEqual(await listInvitations(), []);
});

test('an open invitation refuses a second one for the email until the clock passes its expireAt', async () => {
  const first = await invite('again@example.com');
  await assert.rejects(invite('again@example.com'), { status: 409 });
  const { data: clock } = await op.controls.POST('/_orgplane/clock/advance', { body: { seconds: 7 * 86_400 } });
  assert.equal(clock!.result.now, '2026-01-08T00:00:00.000Z');
  const second = await invite('again@example.com');
  assert.notEqual(second.id, first.id);
  assert.equal(second.createdAt, '2026-01-08T00:00:00.000Z');
  assert.equal(second.expireAt, '2026-01-15T00:00:00.000Z');
  // The expired one was replaced, not kept beside it.
  assert.deepEqual((await listInvitations()).map((i) => i.id), [second.id]);
});

test('a deleted invitation is gone and its deletion is an activity at the clock', async () => {
  const invitation = await invite('gone@example.com');
  await op.controls.POST('/_orgplane/clock/advance', { body: { seconds: 90 } });
  await op.client.DELETE('/v1/organizations/{organizationId}/invitations/{invitationId}', {
    params: { path: { organizationId: op.organizationId, invitationId: invitation.id } },
  });
  assert.deepEqual(await listInvitations(), []);
  const { data } = await op.client.GET('/v1/organizations/{organizationId}/activities', { params: { path: { organizationId: op.organizationId } } });
  const deletions = data!.result.filter((a) => a.type === 'organization_invite_delete');
  assert.deepEqual(deletions.map((a) => a.createdAt), ['2026-01-01T00:01:30.000Z']);
});
