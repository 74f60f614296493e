import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { verifyActivityChains } from '../../src/domain/activities/activity-audit.js';
import { linkHash } from '../../src/domain/activities/activity-chain.js';
import { applyFixture } from '../../src/domain/fixtures/seed.js';
import type { Fixture } from '../../src/domain/fixtures/fixture-schema.js';
import { takeSnapshot } from '../../src/domain/fixtures/snapshot.js';
import { generateKeyPair, hashKeyPair } from '../../src/domain/keys/key-material.js';
import { systemRoleId } from '../../src/domain/roles/system-roles.js';
import { testBackends } from '../helpers/backends.js';
import { assertRefused, assertRefusedUnchanged, richFixture, FIXTURE_SERVICE_ID, USAGE_SERVICE_ID, USAGE_WAREHOUSE_ID, VIEW_POLICY } from '../helpers/fixtures.js';
import { request, startTestServer, type TestServer } from '../helpers/server.js';

// Seeding fixtures (domain/fixtures/seed.ts): known credentials that work over
// HTTP, the activities a real creation records, and every refusal (400 naming
// the field, 409 naming the conflict) leaving the state exactly as it was.
// Snapshot and reset: fixtures-snapshot.test.ts.

const USAGE_RECORD = { date: '2025-01-06', entityType: 'datawarehouse' as const, entityId: USAGE_WAREHOUSE_ID, entityName: 'w', dataWarehouseId: USAGE_WAREHOUSE_ID, metrics: { storageCHC: 1 } };
const org = (fields: Partial<Fixture['organizations'][number]> = {}): Fixture => ({ organizations: [{ name: 'Org', ...fields }] });

for (const backend of testBackends()) {
  describe(`seeding fixtures [${backend}]`, () => {
    let server: TestServer;

    before(async () => {
      server = await startTestServer({ backend });
    });
    after(() => server.close());

    it('creates everything the fixture holds, and its known keys authenticate over HTTP', async () => {
      const { fixture, organizationId, credentials } = richFixture();
      const summary = await applyFixture(server.domain, fixture);
      assert.deepEqual(summary, {
        organizationIds: [organizationId],
        organizations: 1,
        privateEndpoints: 2,
        byocInfrastructures: 2,
        roles: 1,
        keys: 3,
        members: 2,
        invitations: 2,
        usageRecords: 2,
        services: 2,
        quotas: 2,
        activities: 1 + 3 + 2 + 2,
      });
      const [admin, viewer] = credentials as [typeof credentials[0], typeof credentials[0]];
      const orgs = await request(server, 'GET', '/v1/organizations', { auth: admin });
      assert.equal(orgs.status, 200, orgs.text);
      assert.deepEqual(orgs.body.result, [
        {
          id: organizationId,
          createdAt: '2025-01-01T00:00:00.000Z',
          name: 'Fixture Org',
          privateEndpoints: [
            { id: 'vpce-0b', description: 'second added first', cloudProvider: 'aws', region: 'us-east-1' },
            { id: 'vpce-0a', description: '', cloudProvider: 'aws', region: 'eu-west-1' },
          ],
          byocConfig: [
            { id: 'byoc-1', state: 'infra-ready', accountName: '123456789012', regionId: 'us-east-1', cloudProvider: 'aws', displayName: 'Acme prod' },
            { id: orgs.body.result[0].byocConfig[1].id, state: 'infra-provisioning', accountName: 'acme-analytics-eu', regionId: 'europe-west4', cloudProvider: 'gcp', displayName: 'BYOC europe-west4 acme-analytics-eu' },
          ],
          enableCoreDumps: true,
        },
      ]);

      const keys = (await request(server, 'GET', `/v1/organizations/${organizationId}/keys`, { auth: admin })).body.result;
      const roles = (await request(server, 'GET', `/v1/organizations/${organizationId}/roles`, { auth: admin })).body.result;
      const viewers = roles.find((r: any) => r.name === 'Viewers');
      assert.equal(viewers.createdAt, '2025-01-02T00:00:00.000Z');
      assert.equal(viewers.updatedAt, viewers.createdAt);
      const byName = Object.fromEntries(keys.map((k: any) => [k.name, k]));
      assert.equal(byName.admin.createdAt, '2025-01-03T00:00:00.000Z');
      assert.equal(byName.admin.keySuffix, admin.keyId.slice(-4));
      assert.deepEqual(byName.admin.ipAccessList, [{ source: '127.0.0.0/8', description: 'loopback' }]);
      assert.deepEqual(byName.viewer.assignedRoles, [{ roleId: viewers.id, roleName: 'Viewers', roleType: 'custom' }]);
      assert.equal(byName.viewer.expireAt, '2099-01-01T00:00:00.000Z');
      assert.equal(byName.viewer.usedAt, '2025-02-01T00:00:00.000Z');
      assert.equal(byName.disabled.state, 'disabled');
      assert.deepEqual(byName.disabled.roles, ['developer']);
      // The custom role, referred to by name, is what the viewer key holds: it may read the organization, not its keys.
      assert.equal((await request(server, 'GET', `/v1/organizations/${organizationId}`, { auth: viewer })).status, 200);
      assert.equal((await request(server, 'GET', `/v1/organizations/${organizationId}/keys`, { auth: viewer })).status, 403);

      const members = (await request(server, 'GET', `/v1/organizations/${organizationId}/members`, { auth: admin })).body.result;
      assert.deepEqual(
        members.map((m: any) => [m.email, m.name, m.role, m.assignedRoles.map((r: any) => r.roleName)]),
        [
          ['owner@example.com', 'Owner', 'admin', ['Admin']],
          ['viewer@example.com', 'viewer', undefined, ['Member', 'Viewers']],
        ],
      );
      const invitations = (await request(server, 'GET', `/v1/organizations/${organizationId}/invitations`, { auth: admin })).body.result;
      const lapsed = invitations.find((i: any) => i.email === 'lapsed@example.com');
      assert.equal(lapsed.expireAt, '2025-01-12T00:00:00.000Z');
      assert.deepEqual(lapsed.assignedRoles.map((r: any) => r.roleName), ['Member']);
      const invited = invitations.find((i: any) => i.email === 'invited@example.com');
      assert.equal(Date.parse(invited.expireAt) - Date.parse(invited.createdAt), server.domain.invitationTtlMs);

      const usage = await request(server, 'GET', `/v1/organizations/${organizationId}/usageCost?from_date=2025-01-06&to_date=2025-01-06&filter=tag:env=prod`, { auth: admin });
      assert.equal(usage.status, 200, usage.text);
      assert.deepEqual(usage.body.result, {
        grandTotalCHC: 87.6625,
        costs: [
          {
            dataWarehouseId: USAGE_WAREHOUSE_ID,
            serviceId: USAGE_SERVICE_ID,
            date: '2025-01-06',
            entityType: 'service',
            entityId: USAGE_SERVICE_ID,
            entityName: 'analytics',
            metrics: { computeCHC: 86.4125, publicDataTransferCHC: 1.25 },
            totalCHC: 87.6625,
            locked: true,
          },
        ],
      });
      // Quotas as set (one not applying), usage from the service records, which Prometheus reports.
      const quotas = (await request(server, 'GET', `/v1/organizations/${organizationId}/quotas`, { auth: admin })).body.result;
      assert.deepEqual(
        quotas.map((q: any) => [q.quotaCode, q.value, q.usage, q.adjustable]),
        [
          ['services-per-organization', 20, 1, true],
          ['replicas-per-warehouse', 12, undefined, false],
        ],
      );
      const metrics = (await request(server, 'GET', `/v1/organizations/${organizationId}/prometheus`, { auth: admin })).text;
      assert.ok(metrics.includes(`clickhouse_service="${FIXTURE_SERVICE_ID}",clickhouse_service_name="warehouse \\"main\\" \\\\ eu",clickhouse_cluster_status="running",clickhouse_version="25.8"} 1`), metrics);
      assert.match(metrics, /clickhouse_service_name="pg",clickhouse_cluster_status="idle",clickhouse_version="17"\} 1/);
    });

    it('records the activities a real creation records, as the system actor, at each creation time, in a chain that verifies', async () => {
      const { fixture, organizationId, credentials } = richFixture();
      await applyFixture(server.domain, fixture);
      const res = await request(server, 'GET', `/v1/organizations/${organizationId}/activities`, { auth: credentials[0]! });
      const activities = [...res.body.result].reverse();
      assert.deepEqual(
        activities.map((a: any) => a.type),
        ['create_organization', 'key_create', 'organization_member_add', 'organization_invite_create', 'key_create', 'key_create', 'organization_member_add', 'organization_invite_create'],
      );
      assert.equal(activities[0].createdAt, '2025-01-01T00:00:00.000Z');
      assert.equal(activities[1].createdAt, '2025-01-03T00:00:00.000Z');
      for (const a of activities) assert.deepEqual([a.actorType, a.actorId, a.actorDetails], ['system', 'orgplane-cli', 'orgplane seed']);
      const keys = (await request(server, 'GET', `/v1/organizations/${organizationId}/keys`, { auth: credentials[0]! })).body.result;
      assert.deepEqual(activities.filter((a: any) => a.type === 'key_create').map((a: any) => a.targetKeyId).sort(), keys.map((k: any) => k.id).sort());
      const audit = await verifyActivityChains(server.domain.db, { organizationId });
      assert.equal(audit.broken, undefined);
      assert.equal(audit.activitiesVerified, 8);
      // The chain goes on with the API's own changes.
      const patched = await request(server, 'PATCH', `/v1/organizations/${organizationId}`, { auth: credentials[0]!, body: { name: 'Renamed' } });
      assert.equal(patched.status, 200, patched.text);
      assert.equal((await verifyActivityChains(server.domain.db, { organizationId })).broken, undefined);
    });

    it('takes keys in the hash form a snapshot holds: the plaintext behind the hashes authenticates', async () => {
      const pair = generateKeyPair();
      const { keyIdHash, keySecretHash, keyIdSuffix } = hashKeyPair(pair);
      const { organizationIds } = await applyFixture(server.domain, org({ keys: [{ name: 'hashed', keyIdHash, keySecretHash, keyIdSuffix, roles: ['admin'] }] }));
      const res = await request(server, 'GET', `/v1/organizations/${organizationIds[0]}/keys`, { auth: pair });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.result[0].keySuffix, keyIdSuffix);
      assert.equal((await request(server, 'GET', '/v1/organizations', { auth: { keyId: pair.keyId, keySecret: generateKeyPair().keySecret } })).status, 401);
    });

    it('gives one email one userId everywhere: adopted from an existing member, refused when the fixture says otherwise', async () => {
      const email = `${randomUUID()}@example.com`;
      const first = await applyFixture(server.domain, org({ members: [{ email }] }));
      const second = await applyFixture(server.domain, org({ members: [{ email: email.toUpperCase() }] }));
      const userIdIn = async (organizationId: string) => (await server.domain.db.selectFrom('members').select('user_id').where('organization_id', '=', organizationId).executeTakeFirstOrThrow()).user_id;
      assert.equal(await userIdIn(second.organizationIds[0]!), await userIdIn(first.organizationIds[0]!));
      await assertRefusedUnchanged(server.domain, () => applyFixture(server.domain, org({ members: [{ email, userId: randomUUID() }] })), 409, email, "'organizations[0].members[0].userId'");
      const userId = randomUUID();
      const other = `${randomUUID()}@example.com`;
      await assertRefused(
        () => applyFixture(server.domain, { organizations: [{ name: 'A', members: [{ email: other, userId }] }, { name: 'B', members: [{ email: `x${other}`, userId }] }] }),
        409,
        "'organizations[0].members[0].userId'",
        "'organizations[1].members[0].userId'",
      );
      // Within one fixture, the same email in two organizations shares its given userId.
      const shared = await applyFixture(server.domain, { organizations: [{ name: 'A', members: [{ email: other }] }, { name: 'B', members: [{ email: other, userId }] }] });
      assert.equal(await userIdIn(shared.organizationIds[0]!), userId);
    });

    describe('conflicts: 409 naming what conflicts, nothing changed', () => {
      let existing: ReturnType<typeof richFixture>;
      let ids: { key: string; role: string; invitation: string; activity: string };

      before(async () => {
        existing = richFixture();
        await applyFixture(server.domain, existing.fixture);
        const snapshot = await takeSnapshot(server.domain);
        const seeded = snapshot.organizations.find((o) => o.id === existing.organizationId)!;
        ids = { key: seeded.keys![0]!.id!, role: seeded.roles![0]!.id!, invitation: seeded.invitations![0]!.id!, activity: seeded.activities![0]!.id };
      });

      const cases: [string, () => Fixture, ...string[]][] = [
        ['an organization ID that exists', () => org({ id: existing.organizationId }), 'Organization', "'organizations[0].id'"],
        ['an organization ID twice', () => ({ organizations: [{ id: existing.organizationId.replace(/^./, 'f'), name: 'A' }, { id: existing.organizationId.replace(/^./, 'f'), name: 'B' }] }), "'organizations[0].id'", "'organizations[1].id'"],
        ['a key UUID that exists', () => org({ keys: [{ id: ids.key, name: 'k', ...generateKeyPair(), roles: ['admin'] }] }), 'API key', "'organizations[0].keys[0].id'"],
        ['a key ID and secret that exist', () => org({ keys: [{ name: 'k', ...existing.credentials[0]!, roles: ['admin'] }] }), 'key ID and secret', "'organizations[0].keys[0].keyId'"],
        ['a key ID twice in one organization', () => { const { keyId } = generateKeyPair(); return org({ keys: [{ name: 'a', keyId, keySecret: generateKeyPair().keySecret, roles: ['admin'] }, { name: 'b', keyId, keySecret: generateKeyPair().keySecret, roles: ['admin'] }] }); }, "'organizations[0].keys[1].keyId'"],
        ['a role ID that exists', () => org({ roles: [{ id: ids.role, name: 'R', policies: [] }] }), 'Role', "'organizations[0].roles[0].id'"],
        ['a role name twice', () => org({ roles: [{ name: 'Ops', policies: [] }, { name: 'OPS', policies: [] }] }), "'organizations[0].roles[1].name'"],
        ["a system role's name", () => org({ roles: [{ name: 'admin', policies: [] }] }), "A role named 'Admin'", "'organizations[0].roles[0].name'"],
        ['a member email twice', () => org({ members: [{ email: 'twice@example.com' }, { email: 'TWICE@example.com' }] }), "'organizations[0].members[1].email'"],
        ['an invitation ID that exists', () => org({ invitations: [{ id: ids.invitation, email: 'a@example.com' }] }), 'Invitation', "'organizations[0].invitations[0].id'"],
        ['an invitation email twice', () => org({ invitations: [{ email: 'a@example.com' }, { email: 'a@example.com' }] }), "'organizations[0].invitations[1].email'"],
        ['a private endpoint ID twice', () => org({ privateEndpoints: [{ id: 'vpce-1', cloudProvider: 'aws', region: 'us-east-1' }, { id: 'vpce-1', cloudProvider: 'aws', region: 'us-east-2' }] }), "'organizations[0].privateEndpoints[1].id'"],
        ['a usage record of one day and entity twice', () => org({ usageRecords: [USAGE_RECORD, { ...USAGE_RECORD, entityName: 'again' }] }), "'organizations[0].usageRecords[0]'", "'organizations[0].usageRecords[1]'"],
        ['a BYOC ID twice', () => { const b = { id: 'b', state: 'infra-ready' as const, accountName: '123456789012', regionId: 'us-east-1' as const, cloudProvider: 'aws' as const, displayName: 'd' }; return org({ byocInfrastructures: [b, b] }); }, "'organizations[0].byocInfrastructures[1].id'"],
        ['an activity ID that exists', () => chainOf(randomUUID(), [ids.activity]), 'Activity', "'organizations[0].activities[0].id'"],
        ['a service ID twice in one organization, in either case', () => { const id = randomUUID(); return org({ services: [{ id, name: 'a' }, { id: id.toUpperCase(), name: 'b' }] }); }, "'organizations[0].services[0].id'", "'organizations[0].services[1].id'"],
        ['a quota code twice', () => org({ quotas: [{ quotaCode: 'replicas-per-warehouse', value: 1 }, { quotaCode: 'replicas-per-warehouse', applies: false }] }), "'organizations[0].quotas[1].quotaCode'"],
      ];
      for (const [what, fixture, ...mentions] of cases) {
        it(what, async () => {
          await assertRefusedUnchanged(server.domain, () => applyFixture(server.domain, fixture()), 409, ...mentions);
        });
      }
    });

    describe('invalid fields: 400 naming the field by its path, nothing changed', () => {
      const key = (fields: object) => org({ keys: [{ name: 'ok', ...generateKeyPair(), roles: ['admin'] }, { name: 'k', roles: ['admin'], ...fields } as never] });
      const cases: [string, () => unknown, ...string[]][] = [
        ['a key secret not in the generated format', () => key({ keyId: generateKeyPair().keyId, keySecret: 'too-short' }), "'organizations[0].keys[1].keySecret'", '42 letters and digits'],
        ['a key ID not in the generated format', () => key({ keyId: 'x'.repeat(21), keySecret: generateKeyPair().keySecret }), "'organizations[0].keys[1].keyId'"],
        ['a key ID without its secret', () => key({ keyId: generateKeyPair().keyId }), "'organizations[0].keys[1].keySecret'"],
        ['both credential forms', () => key({ ...generateKeyPair(), keyIdSuffix: 'abcd' }), "'organizations[0].keys[1]'", 'not both'],
        ['a hash form without its suffix', () => { const { keyIdHash, keySecretHash } = hashKeyPair(generateKeyPair()); return key({ keyIdHash, keySecretHash }); }, "'organizations[0].keys[1].keyIdSuffix'"],
        ['a key without roles', () => org({ keys: [{ name: 'k', ...generateKeyPair() }] }), "'organizations[0].keys[0].assignedRoleIds'"],
        ['roles and assignedRoleIds that disagree', () => org({ keys: [{ name: 'k', ...generateKeyPair(), roles: ['admin'], assignedRoleIds: ['Developer'] }] }), "'organizations[0].keys[0].roles'", "'organizations[0].keys[0].assignedRoleIds'"],
        ['an unknown role', () => org({ keys: [{ name: 'k', ...generateKeyPair(), assignedRoleIds: ['Admin', 'Nobody'] }] }), "'organizations[0].keys[0].assignedRoleIds[1]'"],
        ['another organization’s system role ID', () => org({ keys: [{ name: 'k', ...generateKeyPair(), assignedRoleIds: [systemRoleId(randomUUID(), 'admin')] }] }), "'organizations[0].keys[0].assignedRoleIds[0]'"],
        ['an allow-list source that is no address', () => key({ ...generateKeyPair(), ipAccessList: [{ source: '300.1.1.1' }] }), "'organizations[0].keys[1].ipAccessList[0].source'"],
        ['an unknown field', () => org({ keys: [{ name: 'k', ...generateKeyPair(), roles: ['admin'], secret: 'x' } as never] }), "Unknown field 'organizations[0].keys[0].secret'"],
        ['a negative usage metric', () => org({ usageRecords: [{ ...USAGE_RECORD, metrics: { storageCHC: -1 } }] }), "'organizations[0].usageRecords[0].metrics.storageCHC'", 'must not be negative'],
        ['a usage metric with seven decimal places', () => org({ usageRecords: [{ ...USAGE_RECORD, metrics: { storageCHC: '0.0000001' } }] }), "'organizations[0].usageRecords[0].metrics.storageCHC'"],
        ['a derived totalCHC on a usage record', () => org({ usageRecords: [{ ...USAGE_RECORD, totalCHC: 1 } as never] }), "'organizations[0].usageRecords[0].totalCHC'"],
        ['a data warehouse record with a serviceId', () => org({ usageRecords: [{ ...USAGE_RECORD, serviceId: USAGE_SERVICE_ID }] }), "'organizations[0].usageRecords[0].serviceId'"],
        ['a region of another provider', () => org({ privateEndpoints: [{ id: 'e', cloudProvider: 'gcp', region: 'us-east-1' }] }), "'organizations[0].privateEndpoints[0].region'"],
        ['an unknown permission', () => org({ roles: [{ name: 'R', policies: [{ ...VIEW_POLICY, permissions: ['control-plane:nothing'] }] }] }), "'organizations[0].roles[0].policies[0].permissions[0]'"],
        ["another organization's resource", () => org({ roles: [{ name: 'R', policies: [{ ...VIEW_POLICY, resources: [`organization/${randomUUID()}`] }] }] }), "'organizations[0].roles[0].policies[0].resources[0]'"],
        ['an invalid email', () => org({ members: [{ email: 'not-an-email' }] }), "'organizations[0].members[0].email'"],
        ['an empty name', () => org({ name: '' }), "'organizations[0].name'"],
        ['an over-long name', () => org({ name: 'x'.repeat(256) }), "'organizations[0].name'"],
        ['no organizations list', () => ({}), "'organizations'"],
        ['a service without a name', () => org({ services: [{ kind: 'clickhouse' } as never] }), "'organizations[0].services[0].name'"],
        ['a service of an unknown kind', () => org({ services: [{ name: 's', kind: 'mysql' as never }] }), "'organizations[0].services[0].kind'"],
        ['a service in an unknown state', () => org({ services: [{ name: 's', state: 'provisioning' as never }] }), "'organizations[0].services[0].state'"],
        ['a service ID that is no UUID', () => org({ services: [{ name: 's', id: 'svc-1' }] }), "'organizations[0].services[0].id'"],
        ['a blank service tag key', () => org({ services: [{ name: 's', tags: { ' ': 'v' } }] }), "'organizations[0].services[0].tags'"],
        ['a service tag value with a control character', () => org({ services: [{ name: 's', tags: { k: 'a\u0007' } }] }), "'organizations[0].services[0].tags"],
        ['an unknown quota code', () => org({ quotas: [{ quotaCode: 'nope' as never, value: 1 }] }), "'organizations[0].quotas[0].quotaCode'"],
        ['a negative quota value', () => org({ quotas: [{ quotaCode: 'services-per-organization', value: -1 }] }), "'organizations[0].quotas[0].value'"],
        ['a fractional quota value', () => org({ quotas: [{ quotaCode: 'services-per-organization', value: 1.5 }] }), "'organizations[0].quotas[0].value'"],
        ['a date-time that is none', () => org({ createdAt: 'yesterday' }), "'organizations[0].createdAt'"],
        ['activities without the organization ID', () => ({ organizations: [{ name: 'Org', activities: [] }] }), "'organizations[0].id'"],
        ['a broken activity chain', () => { const f = chainOf(randomUUID(), [randomUUID(), randomUUID()]); f.organizations[0]!.activities![1]!.actorDetails = 'edited'; return f; }, "'organizations[0].activities[1].hash'"],
        ['an activity chain with a gap', () => { const f = chainOf(randomUUID(), [randomUUID(), randomUUID(), randomUUID()]); f.organizations[0]!.activities!.splice(1, 1); return f; }, "'organizations[0].activities[1].seq'"],
        ['an empty activity chain', () => ({ organizations: [{ id: randomUUID(), name: 'Org', activities: [] }] }), "'organizations[0].activities'", 'create_organization'],
        ['an activity chain without its start', () => { const f = chainOf(randomUUID(), [randomUUID(), randomUUID()]); f.organizations[0]!.activities!.shift(); return f; }, "'organizations[0].activities[0].type'", 'create_organization'],
      ];
      for (const [what, fixture, ...mentions] of cases) {
        it(what, async () => {
          await assertRefusedUnchanged(server.domain, () => applyFixture(server.domain, fixture() as Fixture), 400, ...mentions);
        });
      }
    });

    describe("timestamps later than the clock's now: 400 naming the field", () => {
      const future = () => new Date(server.domain.clock.now().getTime() + 86_400_000).toISOString();
      const cases: [string, () => Fixture][] = [
        ['organizations[0].createdAt', () => org({ createdAt: future() })],
        ['organizations[0].roles[0].updatedAt', () => org({ roles: [{ name: 'R', policies: [], updatedAt: future() }] })],
        ['organizations[0].keys[0].usedAt', () => org({ keys: [{ name: 'k', ...generateKeyPair(), roles: ['admin'], usedAt: future() }] })],
        ['organizations[0].members[0].joinedAt', () => org({ members: [{ email: 'a@example.com', joinedAt: future() }] })],
        ['organizations[0].invitations[0].createdAt', () => org({ invitations: [{ email: 'a@example.com', createdAt: future() }] })],
        ['organizations[0].services[0].createdAt', () => org({ services: [{ name: 's', createdAt: future() }] })],
        ['organizations[0].activities[0].createdAt', () => chainOf(randomUUID(), [randomUUID()], future())],
      ];
      for (const [field, fixture] of cases) {
        it(field, async () => {
          await assertRefusedUnchanged(server.domain, () => applyFixture(server.domain, fixture()), 400, `'${field}'`, 'later than');
        });
      }
      it('but an expiry in the future (or the past) is what it is', async () => {
        await applyFixture(server.domain, org({ keys: [{ name: 'k', ...generateKeyPair(), roles: ['admin'], expireAt: future() }], invitations: [{ email: 'a@example.com', expireAt: future() }] }));
      });
    });

    describe('the bounds the API enforces', () => {
      const keys = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `k${i}`, ...generateKeyPair(), roles: ['admin' as const] }));
      it('100 keys per organization', async () => {
        await applyFixture(server.domain, org({ keys: keys(100) }));
        await assertRefusedUnchanged(server.domain, () => applyFixture(server.domain, org({ keys: keys(101) })), 400, "'organizations[0].keys'");
      });
      it('100 custom roles, 20 policies each', async () => {
        const roles = (n: number, policies = 1) => Array.from({ length: n }, (_, i) => ({ name: `r${i}`, policies: Array.from({ length: policies }, () => VIEW_POLICY) }));
        await assertRefused(() => applyFixture(server.domain, org({ roles: roles(101) })), 400, "'organizations[0].roles'");
        await assertRefused(() => applyFixture(server.domain, org({ roles: roles(1, 21) })), 400, "'organizations[0].roles[0].policies'");
      });
      it('20 roles per key, member or invitation', async () => {
        const roles = Array.from({ length: 21 }, (_, i) => ({ name: `r${i}`, policies: [] }));
        await assertRefused(() => applyFixture(server.domain, org({ roles, keys: [{ name: 'k', ...generateKeyPair(), assignedRoleIds: roles.map((r) => r.name) }] })), 400, "'organizations[0].keys[0].assignedRoleIds'");
      });
      it('1,000 private endpoints and 1,000 members', async () => {
        const endpoints = Array.from({ length: 1001 }, (_, i) => ({ id: `vpce-${i}`, cloudProvider: 'aws' as const, region: 'us-east-1' as const }));
        await assertRefused(() => applyFixture(server.domain, org({ privateEndpoints: endpoints })), 400, "'organizations[0].privateEndpoints'");
        const members = Array.from({ length: 1001 }, (_, i) => ({ email: `m${i}@example.com` }));
        await assertRefused(() => applyFixture(server.domain, org({ members })), 400, "'organizations[0].members'");
      });
      it('100 open invitations (expired ones do not count)', async () => {
        const invitations = (n: number, expireAt?: string) => Array.from({ length: n }, (_, i) => ({ email: `i${i}${expireAt ? '-expired' : ''}@example.com`, ...(expireAt ? { createdAt: '2025-01-01T00:00:00Z', expireAt } : {}) }));
        await assertRefused(() => applyFixture(server.domain, org({ invitations: invitations(101) })), 400, "'organizations[0].invitations'", 'open');
        await applyFixture(server.domain, org({ invitations: [...invitations(100), ...invitations(5, '2025-01-08T00:00:00Z')] }));
      });
    });
  });
}

/** An organization whose activity log is a valid chain of key_create activities with these IDs (at `at`, default 2025). */
function chainOf(organizationId: string, activityIds: string[], at = '2025-06-01T00:00:00.000Z'): Fixture {
  let previous = '';
  const activities = activityIds.map((id, i) => {
    // Every chain starts with the organization's creation.
    const type = i === 0 ? ('create_organization' as const) : ('key_create' as const);
    const row = { id, organization_id: organizationId, created_at: at, type, actor_type: 'system', actor_id: 'orgplane-cli', actor_details: 'orgplane seed', actor_ip_address: null, user_agent: null, service_id: null, target_key_id: null, key_update_type: null, seq: i + 1 };
    previous = linkHash(previous, row);
    return { id, createdAt: at, type, actorType: 'system' as const, actorId: 'orgplane-cli', actorDetails: 'orgplane seed', seq: i + 1, hash: previous };
  });
  return { organizations: [{ id: organizationId, name: 'Chained', createdAt: '2025-01-01T00:00:00Z', activities }] };
}
