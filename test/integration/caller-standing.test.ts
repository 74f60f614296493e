import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testBackends } from '../helpers/backends.js';
import { listActivities } from '../helpers/activities.js';
import { allow, RoleApi } from '../helpers/role-api.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

// Issue 16: a change re-checks its caller's key and permission inside its
// transaction, under the organization's lock. Before, two admin keys deleting
// each other at the same moment both succeeded (each had been authorized
// before the other's delete committed), leaving no usable admin key.

const TRIALS = 20;
const MANAGE_ORGANIZATION = 'control-plane:organization:manage';

/** Every activity of `keyId` is older than that key's deletion (activities are newest first). */
function assertNothingAfterDeletion(activities: any[], keyId: string): void {
  const deletion = activities.findIndex((a) => a.type === 'key_delete' && a.targetKeyId === keyId);
  if (deletion === -1) return;
  const acts = activities.flatMap((a, i) => (a.actorId === keyId ? [i] : []));
  assert.ok(
    acts.every((i) => i > deletion),
    `key ${keyId} has an activity recorded after its deletion`,
  );
}

for (const backend of testBackends()) {
  describe(`a change re-checks its caller under the lock [${backend}]`, () => {
    let server: TestServer;
    let roles: RoleApi;
    before(async () => {
      server = await startTestServer({ backend });
      roles = new RoleApi(server, server.organizationId, server.admin);
    });
    after(() => server.close());

    it(`two admin keys deleting each other at once: one delete succeeds, the other is the 401 of a deleted key (${TRIALS} trials)`, async () => {
      const admin = roles.systemRoleId('admin');
      for (let trial = 0; trial < TRIALS; trial++) {
        const [a, b] = [await roles.keyWithRoles([admin], `a${trial}`), await roles.keyWithRoles([admin], `b${trial}`)];
        // Both keys are verified (and cached) before the race, as in a real client's second request.
        assert.equal(await roles.status(a, 'GET', roles.keysPath), 200);
        assert.equal(await roles.status(b, 'GET', roles.keysPath), 200);
        const [ab, ba] = await Promise.all([roles.call('DELETE', roles.keyPath(b.id), undefined, a), roles.call('DELETE', roles.keyPath(a.id), undefined, b)]);
        assert.deepEqual([ab.status, ba.status].sort(), [200, 401], `trial ${trial}: ${ab.text} / ${ba.text}`);
        const survivor = ab.status === 200 ? a : b;
        const refused = ab.status === 200 ? ba : ab;
        assert.equal(refused.body.status, 401);
        assert.equal(typeof refused.body.requestId, 'string');
        assert.equal(await roles.status(survivor, 'GET', roles.keysPath), 200, `trial ${trial}: the surviving admin key works`);
        const ids = (await roles.call('GET', roles.keysPath)).body.result.map((k: any) => k.id);
        assert.deepEqual([ids.includes(a.id), ids.includes(b.id)], [survivor === a, survivor === b]);
        assert.equal(await roles.status(survivor, 'DELETE', roles.keyPath(survivor === a ? b.id : a.id)), 404);
        const res = await roles.call('DELETE', roles.keyPath(survivor.id));
        assert.equal(res.status, 200, res.text);
      }
      const activities = await listActivities(server, server.organizationId, server.admin);
      const deletions = activities.filter((a) => a.type === 'key_delete');
      assert.equal(deletions.length, 2 * TRIALS, 'one deletion per trial by the race, one by the clean-up');
      for (const d of deletions) assertNothingAfterDeletion(activities, d.targetKeyId);
    });

    it(`a PATCH whose key is deleted, or loses its role, while it waits for the lock is refused and records nothing (${TRIALS} trials each)`, async () => {
      const role = await roles.create('renamer', [allow([MANAGE_ORGANIZATION, 'control-plane:organization:view'])]);
      for (let trial = 0; trial < TRIALS; trial++) {
        const deleted = await roles.keyWithRoles([role.id], `deleted ${trial}`);
        const demoted = await roles.keyWithRoles([role.id], `demoted ${trial}`);
        assert.equal(await roles.status(deleted, 'GET', roles.orgPath), 200);
        assert.equal(await roles.status(demoted, 'GET', roles.orgPath), 200);
        const [, byDeleted, , byDemoted] = await Promise.all([
          roles.call('DELETE', roles.keyPath(deleted.id)),
          roles.call('PATCH', roles.orgPath, { name: `by deleted ${trial}` }, deleted),
          roles.call('PATCH', roles.keyPath(demoted.id), { assignedRoleIds: [] }),
          roles.call('PATCH', roles.orgPath, { name: `by demoted ${trial}` }, demoted),
        ]);
        assert.ok([200, 401].includes(byDeleted.status), byDeleted.text);
        assert.ok([200, 403].includes(byDemoted.status), byDemoted.text);
        const activities = await listActivities(server, server.organizationId, server.admin);
        assertNothingAfterDeletion(activities, deleted.id);
        // The demoted key's rename, when it got in, precedes the change of its roles.
        const demotion = activities.findIndex((a) => a.type === 'openapi_key_update' && a.targetKeyId === demoted.id);
        const renames = activities.flatMap((a, i) => (a.actorId === demoted.id ? [i] : []));
        assert.equal(renames.length, byDemoted.status === 200 ? 1 : 0);
        assert.ok(renames.every((i) => i > demotion), `trial ${trial}: the demoted key renamed after losing its role`);
        await roles.call('DELETE', roles.keyPath(demoted.id));
      }
    });
  });
}
