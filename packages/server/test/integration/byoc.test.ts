import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { BYOC_TERMINATED_VISIBLE_MS, DEFAULT_BYOC_PROVISIONING_SECONDS, MAX_BYOC_INFRASTRUCTURES_PER_ORGANIZATION } from '../../src/vocabulary/byoc.js';
import { Migrator, type Kysely, type Migration } from 'kysely';
import { loadServerConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import * as initial from '../../src/db/migrations/20261128_0001_initial.js';
import * as byocInfrastructures from '../../src/db/migrations/20261201_0002_byoc_infrastructures.js';
import * as rolesMembersInvitations from '../../src/db/migrations/20261202_0003_roles_members_invitations.js';
import * as keyIdHashPerOrganization from '../../src/db/migrations/20261202_0004_key_id_hash_per_organization.js';
import * as organizationAccessVersion from '../../src/db/migrations/20261202_0005_organization_access_version.js';
import * as servicesQuotasUsage from '../../src/db/migrations/20261207_0006_services_quotas_usage.js';
import { GENESIS_HASH } from '../../src/domain/activities/activity-chain.js';
import type { Fixture } from '../../src/domain/fixtures/fixture-schema.js';
import { applyFixture } from '../../src/domain/fixtures/seed.js';
import { takeSnapshot } from '../../src/domain/fixtures/snapshot.js';
import { readOrganization } from '../../src/domain/organizations/organization.repository.js';
import { createTestDatabase, testBackends, type TestDatabase } from '../helpers/backends.js';
import { runCli, startServe, stopAllServers } from '../helpers/cli.js';
import { assertRefused } from '../helpers/fixtures.js';
import { request, startTestServer, type ApiResponse, type Credentials, type TestServer } from '../helpers/server.js';
import { assertVendorShape } from '../helpers/vendor-schemas.js';

// The BYOC infrastructure endpoints (organizationByocInfrastructureCreate,
// …Update, …Delete): what they accept, the lifecycle on the server's clock
// (provisioning → ready → terminated → gone), and that every infrastructure
// shows in Organization.byocConfig.

const AWS_ACCOUNT = '123456789012';
const BYOC_FIELDS = ['accountName', 'cloudProvider', 'displayName', 'id', 'regionId', 'state'];

/** A distinct valid AWS account ID per n. */
const awsAccount = (n: number) => String(100_000_000_000 + n);

class ByocApi {
  constructor(
    readonly server: { url: string },
    readonly organizationId: string,
    readonly auth: Credentials,
  ) {}

  get orgPath(): string {
    return `/v1/organizations/${this.organizationId}`;
  }

  create(body: unknown): Promise<ApiResponse> {
    return request(this.server, 'POST', `${this.orgPath}/byocInfrastructure`, { auth: this.auth, body });
  }

  update(id: string, body: unknown): Promise<ApiResponse> {
    return request(this.server, 'PATCH', `${this.orgPath}/byocInfrastructure/${id}`, { auth: this.auth, body });
  }

  delete(id: string): Promise<ApiResponse> {
    return request(this.server, 'DELETE', `${this.orgPath}/byocInfrastructure/${id}`, { auth: this.auth });
  }

  /** The organization as GET answers it, checked against the vendor's Organization. */
  async organization(): Promise<any> {
    const res = await request(this.server, 'GET', this.orgPath, { auth: this.auth });
    assert.equal(res.status, 200, res.text);
    assertVendorShape('Organization', res.body.result);
    return res.body.result;
  }

  async byocConfig(): Promise<any[]> {
    const config = (await this.organization()).byocConfig;
    assertVendorShape('ByocConfig', config, { array: true });
    return config;
  }

  /** Creates one and returns its ByocConfig, checked against the vendor's schema. */
  async created(body: unknown): Promise<any> {
    const res = await this.create(body);
    assert.equal(res.status, 200, res.text);
    assertVendorShape('ByocConfig', res.body.result);
    assert.deepEqual(Object.keys(res.body.result).sort(), BYOC_FIELDS);
    return res.body.result;
  }
}

function assertError(res: ApiResponse, status: number, ...mentions: string[]): void {
  assert.equal(res.status, status, res.text);
  assert.equal(res.body.status, status);
  assert.equal(typeof res.body.requestId, 'string');
  for (const mention of mentions) assert.ok(res.body.error.includes(mention), `'${res.body.error}' should mention ${mention}`);
}

for (const backend of testBackends()) {
  describe(`BYOC infrastructure [${backend}]`, () => {
    let server: TestServer;
    let api: ByocApi;

    before(async () => {
      server = await startTestServer({ backend, controls: {} });
      // Frozen, so that the lifecycle moves only when the test moves the clock.
      const frozen = await request(server, 'PUT', '/_orgplane/clock', { body: { now: new Date().toISOString(), frozen: true } });
      assert.equal(frozen.status, 200, frozen.text);
    });
    after(() => server.close());

    /** A fresh organization for each test, so that the tests do not share infrastructures. */
    const freshOrganization = async (name: string, role: 'admin' | 'developer' = 'admin') => {
      const org = await server.bootstrap(name, role);
      return new ByocApi(server, org.organizationId, org);
    };
    const advance = async (seconds: number) => {
      const res = await request(server, 'POST', '/_orgplane/clock/advance', { body: { seconds } });
      assert.equal(res.status, 200, res.text);
    };

    before(async () => {
      api = await freshOrganization('BYOC');
    });

    it('runs the lifecycle on the server clock: provisioning, ready after the provisioning time, terminated on DELETE, gone after the visibility window', async () => {
      const org = await freshOrganization('Lifecycle');
      const created = await org.created({ regionId: 'us-east-1', accountId: AWS_ACCOUNT, displayName: 'Prod' });
      assert.match(created.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.deepEqual(created, { id: created.id, state: 'infra-provisioning', accountName: AWS_ACCOUNT, regionId: 'us-east-1', cloudProvider: 'aws', displayName: 'Prod' });
      assert.deepEqual(await org.byocConfig(), [created]);

      await advance(DEFAULT_BYOC_PROVISIONING_SECONDS - 1);
      assert.equal((await org.byocConfig())[0].state, 'infra-provisioning');
      await advance(1);
      assert.deepEqual(await org.byocConfig(), [{ ...created, state: 'infra-ready' }]);
      // The list and a PATCH of the organization answer the same.
      const list = await request(server, 'GET', '/v1/organizations', { auth: org.auth });
      assertVendorShape('Organization', list.body.result, { array: true });
      assert.deepEqual(list.body.result[0].byocConfig, [{ ...created, state: 'infra-ready' }]);
      const patchedOrg = await request(server, 'PATCH', org.orgPath, { auth: org.auth, body: { name: 'Lifecycle renamed' } });
      assert.equal(patchedOrg.status, 200, patchedOrg.text);
      assertVendorShape('Organization', patchedOrg.body.result);
      assert.deepEqual(patchedOrg.body.result.byocConfig, [{ ...created, state: 'infra-ready' }]);

      const renamed = await org.update(created.id, { displayName: 'Production' });
      assert.equal(renamed.status, 200, renamed.text);
      assertVendorShape('ByocConfig', renamed.body.result);
      assert.deepEqual(renamed.body.result, { ...created, state: 'infra-ready', displayName: 'Production' });

      const deleted = await org.delete(created.id);
      assert.equal(deleted.status, 200, deleted.text);
      assert.deepEqual(Object.keys(deleted.body).sort(), ['requestId', 'status']);
      const terminated = { ...created, state: 'infra-terminated', displayName: 'Production' };
      assert.deepEqual(await org.byocConfig(), [terminated]);
      assertError(await org.update(created.id, { displayName: 'again' }), 404, 'BYOC infrastructure not found');
      assertError(await org.delete(created.id), 404, 'BYOC infrastructure not found');

      await advance(BYOC_TERMINATED_VISIBLE_MS / 1000 - 1);
      assert.deepEqual(await org.byocConfig(), [terminated]);
      await advance(1);
      assert.deepEqual(await org.byocConfig(), []);
      assertError(await org.update(created.id, { displayName: 'again' }), 404, 'BYOC infrastructure not found');
      assertError(await org.delete(created.id), 404, 'BYOC infrastructure not found');
      // The next create removes the rows no read lists any more.
      const next = await org.created({ regionId: 'us-east-1', accountId: AWS_ACCOUNT });
      const rows = await server.database.db.selectFrom('byoc_infrastructures').select('id').where('organization_id', '=', org.organizationId).execute();
      assert.deepEqual(rows.map((r) => r.id), [next.id]);
    });

    it('gives the documented defaults: a display name from region and account, zones a,b,c and 10.0.0.0/16 (as the snapshot shows)', async () => {
      const org = await freshOrganization('Defaults');
      const created = await org.created({ regionId: 'europe-west4', accountId: 'acme-analytics-42' });
      assert.equal(created.displayName, 'BYOC europe-west4 acme-analytics-42');
      assert.equal(created.cloudProvider, 'gcp');
      const chosen = await org.created({ regionId: 'eastus', accountId: '0B5E9A3C-4D2F-4E8A-9C1B-7F6E5D4C3B2A', availabilityZoneSuffixes: ['f', 'a'], vpcCidrRange: '192.168.16.0/24' });
      assert.equal(chosen.cloudProvider, 'azure');
      assert.equal(chosen.accountName, '0b5e9a3c-4d2f-4e8a-9c1b-7f6e5d4c3b2a', 'a subscription ID is kept in lower case');
      const snapshot = await request(server, 'GET', '/_orgplane/snapshot');
      assert.equal(snapshot.status, 200, snapshot.text);
      const stored = snapshot.body.result.organizations.find((o: any) => o.id === org.organizationId).byocInfrastructures;
      assert.deepEqual(
        stored.map((b: any) => [b.availabilityZoneSuffixes, b.vpcCidrRange]),
        [
          [['a', 'b', 'c'], '10.0.0.0/16'],
          [['f', 'a'], '192.168.16.0/24'],
        ],
      );
    });

    it('refuses a second infrastructure for the same region and account (409), also in other case; another region or account is fine', async () => {
      const org = await freshOrganization('Duplicates');
      await org.created({ regionId: 'us-east-1', accountId: AWS_ACCOUNT });
      const before = await org.organization();
      assertError(await org.create({ regionId: 'us-east-1', accountId: AWS_ACCOUNT, displayName: 'twice' }), 409, AWS_ACCOUNT, 'us-east-1');
      await org.created({ regionId: 'eastus', accountId: '0b5e9a3c-4d2f-4e8a-9c1b-7f6e5d4c3b2a' });
      assertError(await org.create({ regionId: 'eastus', accountId: '0B5E9A3C-4D2F-4E8A-9C1B-7F6E5D4C3B2A' }), 409, '0b5e9a3c-4d2f-4e8a-9c1b-7f6e5d4c3b2a');
      await org.created({ regionId: 'us-west-2', accountId: AWS_ACCOUNT });
      await org.created({ regionId: 'us-east-1', accountId: awsAccount(1) });
      assert.equal((await org.byocConfig()).length, before.byocConfig.length + 3);
      // Another organization may use the same account.
      await (await freshOrganization('Duplicates elsewhere')).created({ regionId: 'us-east-1', accountId: AWS_ACCOUNT });
    });

    it(`holds at most ${MAX_BYOC_INFRASTRUCTURES_PER_ORGANIZATION} that are not terminated; a terminated one counts for nothing and its region and account can be used again`, async () => {
      const org = await freshOrganization('Bound');
      const created = [];
      for (let i = 0; i < MAX_BYOC_INFRASTRUCTURES_PER_ORGANIZATION; i++) created.push(await org.created({ regionId: 'us-east-2', accountId: awsAccount(i) }));
      const full = await org.organization();
      assertError(await org.create({ regionId: 'us-east-2', accountId: awsAccount(99) }), 400, `maximum of ${MAX_BYOC_INFRASTRUCTURES_PER_ORGANIZATION}`);
      assert.deepEqual(await org.organization(), full, 'the refused create stored nothing');
      assert.equal((await org.delete(created[0].id)).status, 200);
      // The terminated one is still listed, yet neither it nor its (region, account) is taken.
      const again = await org.created({ regionId: 'us-east-2', accountId: awsAccount(0) });
      const listed = await org.byocConfig();
      assert.equal(listed.length, MAX_BYOC_INFRASTRUCTURES_PER_ORGANIZATION + 1);
      assert.deepEqual(listed[0], { ...created[0], state: 'infra-terminated' });
      assert.deepEqual(listed.at(-1), again);
      assertError(await org.create({ regionId: 'us-east-2', accountId: awsAccount(99) }), 400, `maximum of ${MAX_BYOC_INFRASTRUCTURES_PER_ORGANIZATION}`);
    });

    it('holds the bound and the uniqueness under concurrent creates', async () => {
      const org = await freshOrganization('Concurrent');
      const same = await Promise.all(Array.from({ length: 5 }, () => org.create({ regionId: 'us-east-1', accountId: AWS_ACCOUNT })));
      assert.deepEqual(same.map((r) => r.status).sort(), [200, 409, 409, 409, 409]);
      const many = await Promise.all(Array.from({ length: MAX_BYOC_INFRASTRUCTURES_PER_ORGANIZATION + 4 }, (_, i) => org.create({ regionId: 'us-west-2', accountId: awsAccount(i) })));
      assert.equal(many.filter((r) => r.status === 200).length, MAX_BYOC_INFRASTRUCTURES_PER_ORGANIZATION - 1);
      assert.equal(many.filter((r) => r.status === 400).length, 5);
      assert.equal((await org.byocConfig()).length, MAX_BYOC_INFRASTRUCTURES_PER_ORGANIZATION);
    });

    describe('refuses every invalid create with a 400 naming the field, storing nothing', () => {
      const valid = { regionId: 'us-east-1', accountId: AWS_ACCOUNT };
      const cases: [string, unknown, string][] = [
        ['no regionId', { accountId: AWS_ACCOUNT }, "Missing required field 'regionId'"],
        ['no accountId', { regionId: 'us-east-1' }, "Missing required field 'accountId'"],
        ['an unknown region', { ...valid, regionId: 'mars-north-1' }, "'regionId'"],
        ['a regionId that is not a string', { ...valid, regionId: 1 }, "'regionId'"],
        ['an AWS account of 11 digits', { ...valid, accountId: '12345678901' }, "Invalid field 'accountId'"],
        ['an AWS account with letters', { ...valid, accountId: '12345678901a' }, "Invalid field 'accountId'"],
        ['a GCP project ID for an AWS region', { ...valid, accountId: 'acme-analytics' }, "Invalid field 'accountId'"],
        ['a GCP project ID of 5 characters', { regionId: 'us-central1', accountId: 'acme1' }, "Invalid field 'accountId'"],
        ['a GCP project ID of 31 characters', { regionId: 'us-central1', accountId: `a${'b'.repeat(30)}` }, "Invalid field 'accountId'"],
        ['a GCP project ID starting with a digit', { regionId: 'us-central1', accountId: '1acme-analytics' }, "Invalid field 'accountId'"],
        ['a GCP project ID ending with a hyphen', { regionId: 'us-central1', accountId: 'acme-analytics-' }, "Invalid field 'accountId'"],
        ['a GCP project ID in upper case', { regionId: 'us-central1', accountId: 'Acme-analytics' }, "Invalid field 'accountId'"],
        ['an AWS account for an Azure region', { regionId: 'westus3', accountId: AWS_ACCOUNT }, "Invalid field 'accountId'"],
        ['an accountId that is not a string', { ...valid, accountId: 123456789012 }, "'accountId'"],
        ['no zone suffixes', { ...valid, availabilityZoneSuffixes: [] }, "'availabilityZoneSuffixes'"],
        ['a zone suffix g', { ...valid, availabilityZoneSuffixes: ['a', 'g'] }, "'availabilityZoneSuffixes[1]'"],
        ['a zone suffix twice', { ...valid, availabilityZoneSuffixes: ['a', 'b', 'a'] }, "'availabilityZoneSuffixes[2]'"],
        ['seven zone suffixes', { ...valid, availabilityZoneSuffixes: ['a', 'b', 'c', 'd', 'e', 'f', 'a'] }, "'availabilityZoneSuffixes'"],
        ['zone suffixes that are not a list', { ...valid, availabilityZoneSuffixes: 'a,b' }, "'availabilityZoneSuffixes'"],
        ['a public range', { ...valid, vpcCidrRange: '8.8.0.0/16' }, "Invalid field 'vpcCidrRange'"],
        ['a shared (not RFC 1918) range', { ...valid, vpcCidrRange: '100.64.0.0/16' }, "Invalid field 'vpcCidrRange'"],
        ['172.32.0.0/16, just outside 172.16.0.0/12', { ...valid, vpcCidrRange: '172.32.0.0/16' }, "Invalid field 'vpcCidrRange'"],
        ['a /15', { ...valid, vpcCidrRange: '10.0.0.0/15' }, "Invalid field 'vpcCidrRange'"],
        ['a /25', { ...valid, vpcCidrRange: '10.0.0.0/25' }, "Invalid field 'vpcCidrRange'"],
        ['host bits set', { ...valid, vpcCidrRange: '10.0.0.1/16' }, "Invalid field 'vpcCidrRange'"],
        ['an address without a prefix', { ...valid, vpcCidrRange: '10.0.0.0' }, "Invalid field 'vpcCidrRange'"],
        ['leading zeros', { ...valid, vpcCidrRange: '010.0.0.0/16' }, "Invalid field 'vpcCidrRange'"],
        ['a prefix with a leading zero', { ...valid, vpcCidrRange: '10.0.0.0/016' }, "Invalid field 'vpcCidrRange'"],
        ['an IPv6 range', { ...valid, vpcCidrRange: 'fd00::/16' }, "Invalid field 'vpcCidrRange'"],
        ['an empty display name', { ...valid, displayName: '' }, "'displayName'"],
        ['a blank display name', { ...valid, displayName: '   ' }, "'displayName'"],
        ['a display name of 256 characters', { ...valid, displayName: 'x'.repeat(256) }, "'displayName'"],
        ['a display name with a control character', { ...valid, displayName: 'a\u0007b' }, "'displayName'"],
        ['an unknown field', { ...valid, cloudProvider: 'aws' }, "Unknown field 'cloudProvider'"],
      ];
      for (const [what, body, mention] of cases) {
        it(what, async () => {
          const before = await api.organization();
          assertError(await api.create(body), 400, mention);
          assert.deepEqual(await api.organization(), before);
        });
      }
      it('accepts the edges: a 6-character and a 30-character project ID, all six zones, a /24 and a /16 in each private range', async () => {
        const org = await freshOrganization('Edges');
        await org.created({ regionId: 'us-central1', accountId: 'acme-1' });
        await org.created({ regionId: 'us-central1', accountId: `a${'b'.repeat(28)}9` });
        await org.created({ ...valid, availabilityZoneSuffixes: ['a', 'b', 'c', 'd', 'e', 'f'], vpcCidrRange: '172.31.255.0/24' });
        await org.created({ regionId: 'us-east-2', accountId: AWS_ACCOUNT, vpcCidrRange: '192.168.0.0/16', displayName: 'x'.repeat(255) });
        assert.equal((await org.byocConfig()).length, 4);
      });
    });

    it('PATCH changes displayName only: any other field is a 400 naming it, and a refused PATCH changes nothing', async () => {
      const org = await freshOrganization('Patch');
      const created = await org.created({ regionId: 'us-east-1', accountId: AWS_ACCOUNT, displayName: 'Before' });
      const before = await org.organization();
      for (const [body, mention] of [
        [{ regionId: 'us-east-2' }, "Unknown field 'regionId'"],
        [{ displayName: 'After', accountId: awsAccount(5) }, "Unknown field 'accountId'"],
        [{ state: 'infra-ready' }, "Unknown field 'state'"],
        [{ vpcCidrRange: '10.1.0.0/16' }, "Unknown field 'vpcCidrRange'"],
        [{ displayName: '' }, "'displayName'"],
        [{ displayName: 'x'.repeat(256) }, "'displayName'"],
      ] as const) {
        assertError(await org.update(created.id, body), 400, mention);
      }
      assert.deepEqual(await org.organization(), before);
      assertError(await org.update(randomUUID(), { displayName: 'x' }), 404, 'BYOC infrastructure not found');
      assertError(await org.delete(randomUUID()), 404, 'BYOC infrastructure not found');
      assertError(await org.update('not-a-uuid', { displayName: 'x' }), 400, "'byocInfrastructureId'");
      const unchanged = await org.update(created.id, {});
      assert.equal(unchanged.status, 200, unchanged.text);
      assert.deepEqual(unchanged.body.result, created);
    });

    it("is another organization's to change: a key of one organization gets 403 on another's infrastructure", async () => {
      const org = await freshOrganization('Owner');
      const created = await org.created({ regionId: 'us-east-1', accountId: AWS_ACCOUNT });
      const stranger = await freshOrganization('Stranger');
      const foreign = new ByocApi(server, org.organizationId, stranger.auth);
      assertError(await foreign.create({ regionId: 'us-east-2', accountId: AWS_ACCOUNT }), 403);
      assertError(await foreign.update(created.id, { displayName: 'mine' }), 403);
      assertError(await foreign.delete(created.id), 403);
      // The stranger's own organization does not know the ID either.
      assertError(await stranger.delete(created.id), 404, 'BYOC infrastructure not found');
      assert.deepEqual(await org.byocConfig(), [created]);
    });

    it('works with the controls: a fault on the create route changes nothing; the journal records each BYOC request with its route', async () => {
      const org = await freshOrganization('Faults');
      const route = '/v1/organizations/{organizationId}/byocInfrastructure';
      assert.equal((await request(server, 'DELETE', '/_orgplane/requests')).status, 200);
      const set = await request(server, 'POST', '/_orgplane/faults', { body: { rules: [{ method: 'POST', route, status: 503, times: 1 }] } });
      assert.equal(set.status, 200, set.text);
      try {
        assertError(await org.create({ regionId: 'us-east-1', accountId: AWS_ACCOUNT }), 503);
        assert.deepEqual(await org.byocConfig(), []);
        const created = await org.created({ regionId: 'us-east-1', accountId: AWS_ACCOUNT });
        assert.equal((await org.update(created.id, { displayName: 'x' })).status, 200);
        assert.equal((await org.delete(created.id)).status, 200);
      } finally {
        assert.equal((await request(server, 'DELETE', '/_orgplane/faults')).status, 200);
      }
      // Newest first, as the journal lists them.
      const journal = (await request(server, 'GET', '/_orgplane/requests')).body.result.filter((e: any) => e.route?.includes('byocInfrastructure')).reverse();
      assert.deepEqual(
        journal.map((e: any) => [e.method, e.route, e.status, e.fault ?? null]),
        [
          ['POST', route, 503, 'status'],
          ['POST', route, 200, null],
          ['PATCH', `${route}/{byocInfrastructureId}`, 200, null],
          ['DELETE', `${route}/{byocInfrastructureId}`, 200, null],
        ],
      );
    });

    it('keeps the controls clock from moving before a creation or a deletion', async () => {
      const org = await freshOrganization('Clock');
      const created = await org.created({ regionId: 'us-east-1', accountId: AWS_ACCOUNT });
      const createdAt = server.clock!.now().getTime();
      await advance(10);
      assert.equal((await org.delete(created.id)).status, 200);
      const back = (seconds: number) => request(server, 'PUT', '/_orgplane/clock', { body: { now: new Date(createdAt + seconds * 1000).toISOString(), frozen: true } });
      assertError(await back(5), 400, "'now'");
      assert.equal((await back(10)).status, 200);
    });

    describe('fixtures', () => {
      const orgWith = (byocInfrastructures: unknown[]): Fixture => ({ organizations: [{ id: randomUUID(), name: 'BYOC fixture', byocInfrastructures }] }) as Fixture;
      const at = (offsetSeconds: number) => new Date(server.clock!.now().getTime() + offsetSeconds * 1000).toISOString();
      const aws = (n: number, more: object = {}) => ({ accountName: awsAccount(n), regionId: 'us-east-1', ...more });

      it('seeds each state with instants to match, and the lifecycle goes on from there; the snapshot holds the instants, not the state', async () => {
        const fixture = orgWith([
          aws(1, { id: 'ready', state: 'infra-ready' }),
          aws(2, { id: 'provisioning', state: 'infra-provisioning', displayName: 'P' }),
          aws(3, { id: 'terminated', state: 'infra-terminated' }),
          aws(4, { id: 'explicit', createdAt: at(-60), readyAt: at(10), availabilityZoneSuffixes: ['d'], vpcCidrRange: '172.16.0.0/16' }),
        ]);
        const organizationId = fixture.organizations[0]!.id!;
        await applyFixture(server.domain, fixture);
        const states = async () => {
          const snapshot = await takeSnapshot(server.domain);
          const seeded = snapshot.organizations.find((o) => o.id === organizationId)!;
          return { snapshot: seeded.byocInfrastructures!, byocConfig: (await readOrganization(server.domain.db, organizationId, server.clock!.now()))!.byocConfig };
        };
        const now = server.clock!.now().toISOString();
        const first = await states();
        assertVendorShape('ByocConfig', first.byocConfig, { array: true });
        assert.deepEqual(first.byocConfig.map((b) => [b.id, b.state, b.cloudProvider]), [
          ['ready', 'infra-ready', 'aws'],
          ['provisioning', 'infra-provisioning', 'aws'],
          ['terminated', 'infra-terminated', 'aws'],
          ['explicit', 'infra-provisioning', 'aws'],
        ]);
        assert.equal(first.byocConfig[0]!.displayName, `BYOC us-east-1 ${awsAccount(1)}`);
        assert.ok(first.snapshot.every((b) => b.state === undefined));
        assert.deepEqual(first.snapshot.map((b) => [b.createdAt, b.readyAt, b.terminatedAt]), [
          [now, now, undefined],
          [now, at(DEFAULT_BYOC_PROVISIONING_SECONDS), undefined],
          [now, now, now],
          [at(-60), at(10), undefined],
        ]);
        assert.deepEqual([first.snapshot[3]!.availabilityZoneSuffixes, first.snapshot[3]!.vpcCidrRange], [['d'], '172.16.0.0/16']);
        await advance(DEFAULT_BYOC_PROVISIONING_SECONDS);
        assert.deepEqual((await states()).byocConfig.map((b) => b.state), ['infra-ready', 'infra-ready', 'infra-terminated', 'infra-ready']);
        await advance(BYOC_TERMINATED_VISIBLE_MS / 1000);
        const later = await states();
        assert.deepEqual(later.byocConfig.map((b) => b.id), ['ready', 'provisioning', 'explicit']);
        assert.deepEqual(later.snapshot.map((b) => b.id), ['ready', 'provisioning', 'explicit'], 'gone from the snapshot too');
      });

      const path = "'organizations[0].byocInfrastructures";
      const refusals: [string, () => Fixture, number, string][] = [
        ['an account that does not fit the provider', () => orgWith([{ accountName: 'acme', regionId: 'us-east-1' }]), 400, `${path}[0].accountName'`],
        ['a cloudProvider other than the region\'s', () => orgWith([aws(1, { cloudProvider: 'gcp' })]), 400, `${path}[0].regionId'`],
        ['a zone twice', () => orgWith([aws(1, { availabilityZoneSuffixes: ['a', 'a'] })]), 400, `${path}[0].availabilityZoneSuffixes[1]'`],
        ['a public VPC range', () => orgWith([aws(1, { vpcCidrRange: '8.8.0.0/16' })]), 400, `${path}[0].vpcCidrRange'`],
        ['a state the instants contradict', () => orgWith([aws(1, { state: 'infra-ready', readyAt: at(60) })]), 400, `${path}[0].state'`],
        ['terminatedAt with another state', () => orgWith([aws(1, { state: 'infra-ready', createdAt: at(-10), terminatedAt: at(-1) })]), 400, `${path}[0].state'`],
        ['readyAt before createdAt', () => orgWith([aws(1, { createdAt: at(-10), readyAt: at(-20) })]), 400, `${path}[0].readyAt'`],
        ['terminatedAt in the future', () => orgWith([aws(1, { terminatedAt: at(60) })]), 400, `${path}[0].terminatedAt'`],
        ['a region and account twice', () => orgWith([aws(1), aws(1)]), 409, `${path}[1]'`],
        ['an ID twice', () => orgWith([aws(1, { id: 'x' }), aws(2, { id: 'x' })]), 409, `${path}[1].id'`],
        [
          `more than ${MAX_BYOC_INFRASTRUCTURES_PER_ORGANIZATION} not terminated`,
          () => orgWith(Array.from({ length: MAX_BYOC_INFRASTRUCTURES_PER_ORGANIZATION + 1 }, (_, i) => aws(i))),
          400,
          `${path}'`,
        ],
      ];
      for (const [what, fixture, status, mention] of refusals) {
        it(`refuses ${what}`, async () => {
          const before = await takeSnapshot(server.domain);
          await assertRefused(() => applyFixture(server.domain, fixture()), status, mention);
          assert.deepEqual(await takeSnapshot(server.domain), before);
        });
      }

      it(`takes a terminated one beside its successor and beside ${MAX_BYOC_INFRASTRUCTURES_PER_ORGANIZATION} live ones`, async () => {
        const live = Array.from({ length: MAX_BYOC_INFRASTRUCTURES_PER_ORGANIZATION }, (_, i) => aws(i));
        await applyFixture(server.domain, orgWith([aws(0, { state: 'infra-terminated' }), ...live]));
      });
    });

    it('needs control-plane:organization:manage: a developer key is refused with 403 and nothing changes', async () => {
      const org = await freshOrganization('Developer only', 'developer');
      assertError(await org.create({ regionId: 'us-east-1', accountId: AWS_ACCOUNT }), 403, 'control-plane:organization:manage');
      assert.deepEqual(await org.byocConfig(), []);
    });
  });

  describe(`BYOC infrastructure in real time, on \`orgplane serve\` [${backend}]`, () => {
    let testDb: TestDatabase;
    let credentials: Credentials & { organizationId: string };
    before(async () => {
      testDb = await createTestDatabase(backend);
      assert.equal(runCli(['migrate', '--database', testDb.url]).status, 0);
      const boot = runCli(['bootstrap', '--org-name', 'Real time', '--json', '--database', testDb.url]);
      assert.equal(boot.status, 0, boot.stderr);
      credentials = JSON.parse(boot.stdout);
    });
    after(async () => {
      await stopAllServers();
      await testDb.drop();
    });

    /** Polls GET organization until the infrastructure is ready (at most 5 s), and returns the states seen, each once. */
    const poll = async (api: ByocApi, id: string): Promise<string[]> => {
      const seen: string[] = [];
      for (let i = 0; i < 100; i++) {
        const state = (await api.byocConfig()).find((b) => b.id === id).state;
        if (seen.at(-1) !== state) seen.push(state);
        if (state === 'infra-ready') break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return seen;
    };

    it('a poller sees provisioning, then ready a second later, with --byoc-provisioning-seconds 1', async () => {
      const serve = await startServe(['--database', testDb.url, '--rate-limit', 'off', '--byoc-provisioning-seconds', '1']);
      try {
        const api = new ByocApi(serve, credentials.organizationId, credentials);
        const started = Date.now();
        const created = await api.created({ regionId: 'us-east-1', accountId: AWS_ACCOUNT });
        assert.equal(created.state, 'infra-provisioning');
        assert.deepEqual(await poll(api, created.id), ['infra-provisioning', 'infra-ready']);
        assert.ok(Date.now() - started >= 1000, 'ready no sooner than the provisioning time');
      } finally {
        await serve.stop();
      }
    });

    it('with ORGPLANE_BYOC_PROVISIONING_SECONDS=0 an infrastructure is ready at once; an invalid value is a configuration error', async () => {
      const serve = await startServe(['--database', testDb.url, '--rate-limit', 'off'], { ORGPLANE_BYOC_PROVISIONING_SECONDS: '0' });
      try {
        const api = new ByocApi(serve, credentials.organizationId, credentials);
        assert.equal((await api.created({ regionId: 'us-east-2', accountId: AWS_ACCOUNT })).state, 'infra-ready');
      } finally {
        await serve.stop();
      }
      const bad = runCli(['serve', '--port', '0', '--database', testDb.url, '--byoc-provisioning-seconds', '1.5']);
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /invalid BYOC provisioning seconds "1.5"/);
    });
  });

  describe(`migration 0007 [${backend}]`, () => {
    it('keeps the rows from before it valid: each keeps its stored state, with the documented zones and range', async () => {
      const testDb = await createTestDatabase(backend);
      const handle = openDatabase(testDb.url);
      try {
        const before: Record<string, Migration> = {
          '20261128_0001_initial': initial,
          '20261201_0002_byoc_infrastructures': byocInfrastructures,
          '20261202_0003_roles_members_invitations': rolesMembersInvitations,
          '20261202_0004_key_id_hash_per_organization': keyIdHashPerOrganization,
          '20261202_0005_organization_access_version': organizationAccessVersion,
          '20261207_0006_services_quotas_usage': servicesQuotasUsage,
        };
        const { error } = await new Migrator({ db: handle.db, provider: { getMigrations: async () => before } }).migrateToLatest();
        assert.equal(error, undefined);
        const db = handle.db as unknown as Kysely<any>;
        const organizationId = randomUUID();
        await db.insertInto('organizations').values({ id: organizationId, name: 'legacy', created_at: new Date().toISOString(), enable_core_dumps: 0, version: 0, activity_seq: 0, activity_hash: GENESIS_HASH }).execute();
        const legacy = (id: string, state: string, position: number) => ({
          organization_id: organizationId,
          id,
          state,
          account_name: 'legacy account',
          region_id: 'us-east-1',
          cloud_provider: 'aws',
          display_name: `legacy ${state}`,
          position,
        });
        await db
          .insertInto('byoc_infrastructures')
          .values([legacy('a', 'infra-ready', 0), legacy('b', 'infra-provisioning', 1), legacy('c', 'infra-terminated', 2)])
          .execute();
        assert.deepEqual(await migrateToLatest(handle), ['20261207_0007_byoc_lifecycle']);
        const later = new Date(Date.now() + 365 * 86_400_000);
        const organization = await readOrganization(handle.db, organizationId, later);
        assert.deepEqual(
          organization!.byocConfig.map((b) => [b.id, b.state]),
          [
            ['a', 'infra-ready'],
            ['b', 'infra-provisioning'],
            ['c', 'infra-terminated'],
          ],
        );
        const rows = await handle.db.selectFrom('byoc_infrastructures').selectAll().orderBy('position').execute();
        assert.deepEqual(
          rows.map((r) => [r.created_at, r.ready_at, r.terminated_at, r.availability_zone_suffixes, r.vpc_cidr_range]),
          Array(3).fill([null, null, null, '["a","b","c"]', '10.0.0.0/16']),
        );
      } finally {
        await handle.close();
        await testDb.drop();
      }
    });
  });

  describe(`BYOC infrastructure with startTestServer's byocProvisioningSeconds [${backend}]`, () => {
    it('0 makes an infrastructure ready at once', async () => {
      const server = await startTestServer({ backend, byocProvisioningSeconds: 0 });
      try {
        const api = new ByocApi(server, server.organizationId, server.admin);
        assert.equal((await api.created({ regionId: 'us-east-1', accountId: AWS_ACCOUNT })).state, 'infra-ready');
      } finally {
        await server.close();
      }
    });
  });
}

describe('--byoc-provisioning-seconds', () => {
  it(`defaults to ${DEFAULT_BYOC_PROVISIONING_SECONDS}, takes whole seconds from 0 from the flag or ORGPLANE_BYOC_PROVISIONING_SECONDS (the flag wins)`, () => {
    assert.equal(loadServerConfig({}, {}).byocProvisioningSeconds, DEFAULT_BYOC_PROVISIONING_SECONDS);
    assert.equal(loadServerConfig({}, { ORGPLANE_BYOC_PROVISIONING_SECONDS: '0' }).byocProvisioningSeconds, 0);
    assert.equal(loadServerConfig({ byocProvisioningSeconds: '5' }, { ORGPLANE_BYOC_PROVISIONING_SECONDS: '0' }).byocProvisioningSeconds, 5);
    for (const bad of ['-1', '1.5', '30s', '', '86401']) {
      assert.throws(() => loadServerConfig({ byocProvisioningSeconds: bad }, {}), /invalid BYOC provisioning seconds/, bad);
    }
  });
});
