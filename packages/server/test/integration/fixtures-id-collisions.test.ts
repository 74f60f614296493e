import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { applyFixture } from '../../src/domain/fixtures/seed.js';
import type { Fixture } from '../../src/domain/fixtures/fixture-schema.js';
import { generateKeyPair } from '../../src/domain/keys/key-material.js';
import { ORGANIZATION_PERMISSIONS } from '../../src/vocabulary/permissions.js';
import { systemPolicyId, systemRoleId } from '../../src/domain/roles/system-roles.js';
import { listActivities } from '../helpers/activities.js';
import { testBackends } from '../helpers/backends.js';
import { assertRefusedUnchanged } from '../helpers/fixtures.js';
import { createApiKey, type CreatedTestKey } from '../helpers/keys.js';
import { request, startTestServer, type Credentials, type TestServer } from '../helpers/server.js';

// A seed cannot reach an organization it does not create: role IDs are IDs
// within an organization (system role IDs are derived from it), so a fixture
// ID that is any other existing or derived ID is a 409, and no look-up of a
// key's roles finds another organization's row with the same ID.

const DENY_ALL = { allowDeny: 'DENY' as const, permissions: [...ORGANIZATION_PERMISSIONS], resources: ['*'] };
const ALLOW_ALL = { allowDeny: 'ALLOW' as const, permissions: [...ORGANIZATION_PERMISSIONS], resources: ['*'] };

for (const backend of testBackends()) {
  describe(`fixture IDs and role scoping [${backend}]`, () => {
    let server: TestServer;
    let developer: CreatedTestKey;
    const orgPath = () => `/v1/organizations/${server.organizationId}`;

    before(async () => {
      server = await startTestServer({ backend });
      developer = await createApiKey(server, { name: 'developer', roles: ['developer'] });
    });
    after(() => server.close());

    /** What the first organization's keys may do, and what it shows, over HTTP. */
    async function standing(): Promise<{ roles: string; activities: string; adminCanPatch: number; developerCanCreateKey: number }> {
      const roles = await request(server, 'GET', `${orgPath()}/roles`, { auth: server.admin });
      assert.equal(roles.status, 200, roles.text);
      const patch = await request(server, 'PATCH', orgPath(), { auth: server.admin, body: { name: 'Test organization' } });
      const create = await request(server, 'POST', `${orgPath()}/keys`, { auth: developer, body: { name: 'escalated', roles: ['admin'] } });
      return {
        roles: JSON.stringify(roles.body.result),
        activities: JSON.stringify(await listActivities(server, server.organizationId, server.admin)),
        adminCanPatch: patch.status,
        developerCanCreateKey: create.status,
      };
    }

    it('a fixture role with an existing organization\'s system role ID is a 409 naming it; that organization is unchanged', async () => {
      const expected = await standing();
      assert.equal(expected.adminCanPatch, 200);
      assert.equal(expected.developerCanCreateKey, 403);
      const lockout: Fixture = { organizations: [{ name: 'Lockout', roles: [{ id: systemRoleId(server.organizationId, 'admin'), name: 'Deny', policies: [DENY_ALL] }] }] };
      const escalation: Fixture = { organizations: [{ name: 'Escalation', roles: [{ id: systemRoleId(server.organizationId, 'developer'), name: 'All', policies: [ALLOW_ALL] }] }] };
      for (const fixture of [lockout, escalation]) {
        const id = fixture.organizations[0]!.roles![0]!.id!;
        await assertRefusedUnchanged(server.domain, () => applyFixture(server.domain, fixture), 409, `ID ${id}`, "'organizations[0].roles[0].id'", `organization ${server.organizationId}'s system role`);
      }
      // Once the key cache has expired too: the keys may do exactly what they could, and nothing was logged.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const now = await standing();
      assert.deepEqual({ ...now, activities: undefined }, { ...expected, activities: undefined });
      // The admin PATCH of standing() adds nothing (same name), so the log is what it was.
      assert.equal(now.activities, expected.activities);
    });

    const cases: [string, (existing: { key: string; organization: string }) => Fixture, ...string[]][] = [
      [
        'a role ID derived from another organization of the same fixture',
        () => {
          const first = randomUUID();
          return { organizations: [{ id: first, name: 'A' }, { name: 'B', roles: [{ id: systemRoleId(first, 'admin'), name: 'R', policies: [] }] }] };
        },
        "'organizations[0].id (its system role Admin)'",
        "'organizations[1].roles[0].id'",
      ],
      [
        "a role ID derived from its own organization's ID",
        () => {
          const id = randomUUID();
          return { organizations: [{ id, name: 'A', roles: [{ id: systemRoleId(id, 'developer'), name: 'R', policies: [] }] }] };
        },
        "'organizations[0].roles[0].id'",
      ],
      ['a role ID that is an existing API key ID', ({ key }) => ({ organizations: [{ name: 'A', roles: [{ id: key, name: 'R', policies: [] }] }] }), 'an existing API key', "'organizations[0].roles[0].id'"],
      ['a key ID that is an existing organization ID', ({ organization }) => ({ organizations: [{ name: 'A', keys: [{ id: organization, name: 'k', ...generateKeyPair(), roles: ['admin'] }] }] }), 'an existing organization', "'organizations[0].keys[0].id'"],
      [
        "an invitation ID that is an existing organization's system role ID",
        ({ organization }) => ({ organizations: [{ name: 'A', invitations: [{ id: systemRoleId(organization, 'member'), email: 'x@example.com' }] }] }),
        'system role Member',
        "'organizations[0].invitations[0].id'",
      ],
      [
        "a policy ID that is an existing organization's system policy ID",
        ({ organization }) => ({ organizations: [{ name: 'A', roles: [{ name: 'R', policies: [{ ...ALLOW_ALL, id: systemPolicyId(systemRoleId(organization, 'admin'), 0) }] }] }] }),
        'policy 0 of system role Admin',
        "'organizations[0].roles[0].policies[0].id'",
      ],
      ['an organization ID used twice as different things', () => { const id = randomUUID(); return { organizations: [{ id, name: 'A' }, { name: 'B', roles: [{ id, name: 'R', policies: [] }] }] }; }, "'organizations[0].id'", "'organizations[1].roles[0].id'"],
    ];
    for (const [what, fixture, ...mentions] of cases) {
      it(`409: ${what}`, async () => {
        await assertRefusedUnchanged(server.domain, () => applyFixture(server.domain, fixture({ key: developer.id, organization: server.organizationId })), 409, ...mentions);
      });
    }

    it("a role row of another organization with a system role's ID lends its policies to no key (verification and the caller's re-check)", async () => {
      const other = await server.bootstrap('Other organization');
      const before = await standing();
      const insert = (id: string, policies: unknown[]) =>
        server.database.db
          .insertInto('roles')
          .values({ id, organization_id: other.organizationId, name: `Colliding ${id}`, policies: JSON.stringify(policies), created_at: '2025-01-01T00:00:00.000Z', updated_at: '2025-01-01T00:00:00.000Z' })
          .execute();
      await insert(systemRoleId(server.organizationId, 'admin'), [{ ...DENY_ALL, id: randomUUID() }]);
      await insert(systemRoleId(server.organizationId, 'developer'), [{ ...ALLOW_ALL, id: randomUUID() }]);
      // The key rows cached by the requests above are still fresh: bumping the access version makes
      // the next change re-read its caller's roles (key-standing.ts) rather than trust the cache.
      await server.database.db.updateTable('organizations').set((eb) => ({ access_version: eb('access_version', '+', 1) })).where('id', '=', server.organizationId).execute();
      const patched = await request(server, 'PATCH', orgPath(), { auth: server.admin, body: { name: 'Renamed' } });
      assert.equal(patched.status, 200, patched.text);
      // And once the cache has expired, through key verification.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const rename = await request(server, 'PATCH', orgPath(), { auth: server.admin, body: { name: 'Test organization' } });
      assert.equal(rename.status, 200, rename.text);
      const after = await standing();
      assert.equal(after.adminCanPatch, 200);
      assert.equal(after.developerCanCreateKey, 403);
      assert.equal(after.roles, before.roles);
      const otherRoles = await request(server, 'GET', `/v1/organizations/${other.organizationId}/roles`, { auth: other as Credentials });
      assert.equal(otherRoles.status, 200, otherRoles.text);
    });
  });
}
