// One orgplane per test file, reset before each test: the pattern the README
// recommends, and one of the eight files test/integration/testing-kit-parallel.test.ts
// runs side by side. Every assertion is an exact value that another file's
// reset, requests, fault rules or clock would change, were they sharing this server.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { startOrgplane, type Orgplane } from 'orgplane/testing';

let op: Orgplane;
before(async () => {
  op = await startOrgplane({ clock: '2026-01-01T00:00:00Z,frozen' });
});
after(() => op.stop());
beforeEach(() => op.controls.POST('/_orgplane/reset'));

const ORG_ROUTE = '/v1/organizations/{organizationId}';
const getOrganization = () => op.client.GET(ORG_ROUTE, { params: { path: { organizationId: op.organizationId } } });

test('a 503 rule fires twice, then the real answers come, and the journal holds all four', async () => {
  await op.controls.POST('/_orgplane/faults', { body: { rules: [{ method: 'GET', route: ORG_ROUTE, status: 503, times: 2 }] } });
  await assert.rejects(getOrganization(), { status: 503 });
  await assert.rejects(getOrganization(), { status: 503 });
  await getOrganization();
  await getOrganization();
  await op.expectCalled(ORG_ROUTE, 4, { method: 'GET' });
  const seen = await op.requests({ route: ORG_ROUTE });
  assert.deepEqual(seen.map((r) => [r.status, r.fault]), [[200, undefined], [200, undefined], [503, 'status'], [503, 'status']]);
  const { data } = await op.controls.GET('/_orgplane/faults');
  assert.deepEqual(data!.result.rules.map((r) => [r.fired, r.remaining]), [[2, 0]]);
});

test('the reset drops the rules and empties the journal', async () => {
  const { data } = await op.controls.GET('/_orgplane/faults');
  assert.deepEqual(data!.result.rules, []);
  assert.deepEqual(await op.requests(), []);
  await getOrganization();
  await op.expectCalled(ORG_ROUTE, 1);
});

test('the journal times requests on the clock, and a faulted PATCH changes nothing', async () => {
  await op.controls.POST('/_orgplane/clock/advance', { body: { seconds: 45 } });
  await op.controls.POST('/_orgplane/faults', { body: { rules: [{ method: 'PATCH', route: ORG_ROUTE, status: 500, times: 1 }] } });
  const rename = () => op.client.PATCH(ORG_ROUTE, { params: { path: { organizationId: op.organizationId } }, body: { name: 'Faulted' } });
  await assert.rejects(rename(), { status: 500 });
  assert.equal((await getOrganization()).data!.result.name, 'Test organization');
  await op.controls.POST('/_orgplane/clock/advance', { body: { seconds: 15 } });
  await rename();
  const seen = await op.requests({ method: 'PATCH' });
  assert.deepEqual(seen.map((r) => [r.time, r.status]), [['2026-01-01T00:01:00.000Z', 200], ['2026-01-01T00:00:45.000Z', 500]]);
  await op.expectCalled(ORG_ROUTE, 3);
});
