// One orgplane per test file, reset before each test: the pattern the README
// recommends, and one of the eight files test/integration/testing-kit-parallel.test.ts
// runs side by side. Every assertion is an exact value that another file's
// reset or clock would change, were they sharing this server.
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

const advance = async (seconds: number) => {
  const { data } = await op.controls.POST('/_orgplane/clock/advance', { body: { seconds } });
  return data!.result.now;
};

test('a key works until the clock reaches its expireAt, then gets 401', async () => {
  const { data } = await op.client.POST('/v1/organizations/{organizationId}/keys', {
    params: { path: { organizationId: op.organizationId } },
    body: { name: 'expiring', roles: ['developer'], expireAt: '2026-01-01T01:00:00Z' },
  });
  const key = createClient({ baseUrl: op.url, keyId: data!.result.keyId!, keySecret: data!.result.keySecret!, maxRetries: 0 });
  assert.equal(await advance(3599), '2026-01-01T00:59:59.000Z');
  const { data: before } = await key.GET('/v1/organizations');
  assert.equal(before!.result.length, 1);
  assert.equal(await advance(1), '2026-01-01T01:00:00.000Z');
  await assert.rejects(key.GET('/v1/organizations'), { status: 401 });
  // The kit's own key has no expiry.
  const { data: own } = await op.client.GET('/v1/organizations');
  assert.equal(own!.result[0]!.id, op.organizationId);
});

test('the reset puts the frozen clock back where the kit started it', async () => {
  const { data } = await op.controls.GET('/_orgplane/clock');
  assert.deepEqual(data!.result, { now: '2026-01-01T00:00:00.000Z', frozen: true, real: false });
  assert.equal(await advance(0.25), '2026-01-01T00:00:00.250Z');
  assert.equal(await advance(12 * 3600), '2026-01-01T12:00:00.250Z');
});

test('advances add up, and a key created later expires later', async () => {
  assert.equal(await advance(86_400), '2026-01-02T00:00:00.000Z');
  const { data } = await op.client.POST('/v1/organizations/{organizationId}/keys', {
    params: { path: { organizationId: op.organizationId } },
    body: { name: 'later', roles: ['developer'], expireAt: '2026-01-02T00:00:30Z' },
  });
  assert.equal(data!.result.key.createdAt, '2026-01-02T00:00:00.000Z');
  const key = createClient({ baseUrl: op.url, keyId: data!.result.keyId!, keySecret: data!.result.keySecret!, maxRetries: 0 });
  await key.GET('/v1/organizations');
  assert.equal(await advance(30), '2026-01-02T00:00:30.000Z');
  await assert.rejects(key.GET('/v1/organizations'), { status: 401 });
  // An expireAt already behind the clock is refused.
  await assert.rejects(
    op.client.POST('/v1/organizations/{organizationId}/keys', {
      params: { path: { organizationId: op.organizationId } },
      body: { name: 'born-expired', roles: ['developer'], expireAt: '2026-01-02T00:00:00Z' },
    }),
    { status: 400 },
  );
});
