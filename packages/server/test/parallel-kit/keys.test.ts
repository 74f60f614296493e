// One orgplane per test file, reset before each test: the pattern the README
// recommends, and one of the eight files test/integration/testing-kit-parallel.test.ts
// runs side by side. Every assertion is an exact value that another file's
// reset, keys or clock would change, were they sharing this server.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from '@orgplane/client';
import { startOrgplane, type Orgplane } from 'orgplane/testing';

let op: Orgplane;
before(async () => {
  op = await startOrgplane({ clock: '2026-01-01T00:00:00Z,frozen' });
});
after(() => op.stop());
beforeEach(() => op.controls.POST('/_orgplane/reset'));

const listKeys = async () => {
  const { data } = await op.client.GET('/v1/organizations/{organizationId}/keys', { params: { path: { organizationId: op.organizationId } } });
  return data!.result;
};
const createKey = async (name: string) => {
  const { data } = await op.client.POST('/v1/organizations/{organizationId}/keys', {
    params: { path: { organizationId: op.organizationId } },
    body: { name, roles: ['developer'] },
  });
  return data!.result;
};

test('three created keys are listed beside the kit\'s own, stamped with the frozen clock', async () => {
  for (const name of ['keys-a', 'keys-b', 'keys-c']) await createKey(name);
  const keys = await listKeys();
  assert.deepEqual(keys.map((k) => k.name).sort(), ['keys-a', 'keys-b', 'keys-c', 'test admin key']);
  assert.deepEqual([...new Set(keys.map((k) => k.createdAt))], ['2026-01-01T00:00:00.000Z']);
});

test('the reset leaves only the kit\'s key, whose credentials still work', async () => {
  const keys = await listKeys();
  assert.equal(keys.length, 1);
  assert.equal(keys[0]!.name, 'test admin key');
  assert.equal(keys[0]!.keySuffix, op.keyId.slice(-4));
});

test('a key created after advancing 1 h is stamped 01:00, and a disabled one gets 401', async () => {
  const { data: clock } = await op.controls.POST('/_orgplane/clock/advance', { body: { seconds: 3600 } });
  assert.equal(clock!.result.now, '2026-01-01T01:00:00.000Z');
  const created = await createKey('keys-later');
  assert.equal(created.key.createdAt, '2026-01-01T01:00:00.000Z');
  const key = createClient({ baseUrl: op.url, keyId: created.keyId!, keySecret: created.keySecret!, maxRetries: 0 });
  const { data: own } = await key.GET('/v1/organizations');
  assert.deepEqual(own!.result.map((o) => o.id), [op.organizationId]);
  await op.client.PATCH('/v1/organizations/{organizationId}/keys/{keyId}', {
    params: { path: { organizationId: op.organizationId, keyId: created.key.id } },
    body: { state: 'disabled' },
  });
  await assert.rejects(key.GET('/v1/organizations'), { status: 401 });
  assert.equal((await listKeys()).length, 2);
});

test('deleting the created key leaves one, at the clock the reset restored', async () => {
  const created = await createKey('keys-doomed');
  await op.client.DELETE('/v1/organizations/{organizationId}/keys/{keyId}', { params: { path: { organizationId: op.organizationId, keyId: created.key.id } } });
  assert.equal((await listKeys()).length, 1);
  const { data } = await op.controls.GET('/_orgplane/clock');
  assert.deepEqual(data!.result, { now: '2026-01-01T00:00:00.000Z', frozen: true, real: false });
});
