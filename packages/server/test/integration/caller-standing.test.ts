import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testBackends } from '../helpers/backends.js';
import { listActivities } from '../helpers/activities.js';
import { allow, RoleApi } from '../helpers/role-api.js';
import { startTestServer, type Credentials, type TestServer } from '../helpers/server.js';
import { updateOrganization } from '../../src/domain/organizations/organization-patch.js';
import { systemActor } from '../../src/domain/actor.js';

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

    // Each change that can change what a key may do, made after the key was verified and before
    // its own change takes the lock: the stale principal must be refused, not waved through.
    it('a key verified before any change of its access (disabled, deleted, expired, role narrowed, taken or deleted) is refused by its next change', async () => {
      const manage = allow([MANAGE_ORGANIZATION, 'control-plane:organization:view']);
      const cases: [string, number, (key: { id: string }, roleId: string) => Promise<unknown>][] = [
        ['disabled', 401, (key) => roles.call('PATCH', roles.keyPath(key.id), { state: 'disabled' })],
        ['deleted', 401, (key) => roles.call('DELETE', roles.keyPath(key.id))],
        ['expired', 401, async (key) => {
          const res = await roles.call('PATCH', roles.keyPath(key.id), { expireAt: new Date(Date.now() + 300).toISOString() });
          await new Promise((resolve) => setTimeout(resolve, 400));
          return res;
        }],
        ['role narrowed', 403, (_key, roleId) => roles.call('PATCH', roles.rolePath(roleId), { policies: [allow(['control-plane:organization:view'])] })],
        ['role taken away', 403, (key) => roles.call('PATCH', roles.keyPath(key.id), { assignedRoleIds: [] })],
        ['role deleted', 403, (_key, roleId) => roles.call('DELETE', roles.rolePath(roleId))],
        ['removed from the role\'s actors', 403, (_key, roleId) => roles.call('PATCH', roles.rolePath(roleId), { actors: [] })],
      ];
      for (const [what, status, change] of cases) {
        const role = await roles.create(`stale ${what}`, [manage]);
        const key: Credentials & { id: string } = await roles.keyWithRoles([role.id], `stale ${what}`);
        const principal = await server.domain.keys.verify(key.keyId, key.keySecret, '127.0.0.1');
        const by = { actor: systemActor('test'), principal, permission: MANAGE_ORGANIZATION as typeof MANAGE_ORGANIZATION };
        await updateOrganization(server.domain, server.organizationId, { name: `before ${what}` }, by);
        const res = (await change(key, role.id)) as { status?: number } | undefined;
        if (res?.status !== undefined) assert.equal(res.status, 200, what);
        await assert.rejects(updateOrganization(server.domain, server.organizationId, { name: `after ${what}` }, { ...by, principal }), (err: any) => {
          assert.equal(typeof err.status, 'number', `${what}: ${err}`);
          assert.equal(err.status, status, `${what}: ${err.message}`);
          return true;
        });
        if (res?.status !== undefined && what !== 'deleted') await roles.call('DELETE', roles.keyPath(key.id));
        if (what !== 'role deleted') await roles.call('DELETE', roles.rolePath(role.id));
      }
      // A key that reaches its expiry with nothing changed: its principal carries the expiry.
      const expiring = await roles.keyWithRoles([roles.systemRoleId('admin')], 'expiring');
      assert.equal((await roles.call('PATCH', roles.keyPath(expiring.id), { expireAt: new Date(Date.now() + 500).toISOString() })).status, 200);
      const principal = await server.domain.keys.verify(expiring.keyId, expiring.keySecret, '127.0.0.1');
      await new Promise((resolve) => setTimeout(resolve, 600));
      await assert.rejects(
        updateOrganization(server.domain, server.organizationId, { name: 'after expiry' }, { actor: systemActor('test'), principal, permission: MANAGE_ORGANIZATION }),
        (err: any) => err.status === 401,
      );
    });
  });
}
