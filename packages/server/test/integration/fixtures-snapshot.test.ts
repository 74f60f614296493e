import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify as toYaml } from 'yaml';
import { verifyActivityChains } from '../../src/domain/activities/activity-audit.js';
import { readFixtureFile } from '../../src/domain/fixtures/fixture-file.js';
import { resetState } from '../../src/domain/fixtures/reset.js';
import { applyFixture } from '../../src/domain/fixtures/seed.js';
import { takeSnapshot } from '../../src/domain/fixtures/snapshot.js';
import { testBackends } from '../helpers/backends.js';
import { apiResponses, assertRefused, richFixture, VIEW_POLICY } from '../helpers/fixtures.js';
import { request, startTestServer, type TestServer } from '../helpers/server.js';

// Snapshot (domain/fixtures/snapshot.ts) and reset (reset.ts): a snapshot
// seeded after a reset gives back every API response byte for byte with a
// chain that verifies, and never holds a credential. Fixture files: YAML and
// JSON alike.

for (const backend of testBackends()) {
  describe(`snapshot and reset [${backend}]`, () => {
    let server: TestServer;
    let seeded: ReturnType<typeof richFixture>;

    before(async () => {
      server = await startTestServer({ backend });
      seeded = richFixture();
      await applyFixture(server.domain, seeded.fixture);
      // Changes made through the API too: activities of API actors, keys made by the server, a custom role with actors.
      const orgPath = `/v1/organizations/${server.organizationId}`;
      const auth = server.admin;
      assert.equal((await request(server, 'PATCH', orgPath, { auth, body: { name: 'Renamed', privateEndpoints: { add: [{ id: 'vpce-api', cloudProvider: 'gcp', region: 'us-east1' }] } } })).status, 200);
      const created = await request(server, 'POST', `${orgPath}/keys`, { auth, body: { name: 'made by the API', roles: ['developer'], ipAccessList: [{ source: '10.0.0.0/8' }] } });
      assert.equal(created.status, 200, created.text);
      assert.equal((await request(server, 'PATCH', `${orgPath}/keys/${created.body.result.key.id}`, { auth, body: { state: 'disabled' } })).status, 200);
      const role = await request(server, 'POST', `${orgPath}/roles`, { auth, body: { name: 'API role', actors: [`apiKey/${created.body.result.key.id}`], policies: [{ ...VIEW_POLICY, tags: { grants: ['db1'] } }] } });
      assert.equal(role.status, 200, role.text);
      assert.equal((await request(server, 'POST', `${orgPath}/invitations`, { auth, body: { email: 'api-invite@example.com' } })).status, 200);
    });
    after(() => server.close());

    /** Both organizations' API responses, each read with a key of its own. */
    const everyResponse = async () => ({
      bootstrap: await apiResponses(server, server.organizationId, server.admin),
      seeded: await apiResponses(server, seeded.organizationId, seeded.credentials[0]!),
    });

    it('after reset and seeding the snapshot, every API response is byte-identical and the chains verify', async () => {
      const before = await everyResponse();
      const snapshot = await takeSnapshot(server.domain);
      assert.equal(snapshot.organizations.length, 2);
      const { seeded: summary } = await resetState(server.domain, snapshot);
      assert.deepEqual(summary?.organizationIds.sort(), [server.organizationId, seeded.organizationId].sort());
      assert.deepEqual(await everyResponse(), before);
      const audit = await verifyActivityChains(server.domain.db);
      assert.equal(audit.broken, undefined);
      assert.equal(audit.organizations, 2);
      // The snapshot of the restored state is the snapshot.
      assert.deepEqual(await takeSnapshot(server.domain), snapshot);
      assert.ok(Object.keys(before.seeded).length > 20, 'every list and item was compared');
      assert.match(before.seeded['/usageCost?from_date=2025-01-01&to_date=2025-01-31']!, /"grandTotalCHC":87\.7625,/, 'usage records included');
    });

    it('holds no key ID or secret, only their hashes and the suffix', async () => {
      const text = JSON.stringify(await takeSnapshot(server.domain));
      for (const { keyId, keySecret } of [server.admin, ...seeded.credentials]) {
        assert.ok(!text.includes(keyId), 'a key ID is in the snapshot');
        assert.ok(!text.includes(keySecret), 'a key secret is in the snapshot');
      }
      assert.match(text, /"keyIdHash":"[A-Za-z0-9+/]{43}="/);
    });

    it('is accepted as a fixture only where its organizations do not exist yet', async () => {
      const snapshot = await takeSnapshot(server.domain);
      await assertRefused(() => applyFixture(server.domain, snapshot), 409, 'already exists', "'organizations[0].id'");
    });

    it('reset empties every table; reset with a fixture restores it in the same transaction', async () => {
      const snapshot = await takeSnapshot(server.domain);
      assert.equal((await resetState(server.domain)).seeded, undefined);
      assert.deepEqual(await takeSnapshot(server.domain), { organizations: [] });
      assert.deepEqual(await server.database.db.selectFrom('usage_records').selectAll().execute(), [], 'usage records are gone too');
      assert.equal((await request(server, 'GET', '/v1/organizations', { auth: server.admin })).status, 401);
      // A refused fixture leaves the state as it was: here, empty.
      const broken = structuredClone(snapshot);
      broken.organizations[1]!.keys![0]!.keyIdSuffix = undefined;
      await assertRefused(() => resetState(server.domain, broken), 400, `'organizations[1].keys[0].keyIdSuffix'`);
      await resetState(server.domain, snapshot);
      assert.equal((await request(server, 'GET', '/v1/organizations', { auth: server.admin })).status, 200);
      await assertRefused(() => resetState(server.domain, broken), 400);
      assert.deepEqual(await takeSnapshot(server.domain), snapshot, 'a refused reset changed the state');
    });

    it('loads YAML and JSON fixture files alike, naming the file and the field when one is refused', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'orgplane-fixture-'));
      try {
        const { fixture } = richFixture();
        writeFileSync(join(dir, 'f.json'), JSON.stringify(fixture, null, 2));
        writeFileSync(join(dir, 'f.yaml'), toYaml(fixture));
        writeFileSync(join(dir, 'f.yml'), toYaml(fixture));
        assert.deepEqual(readFixtureFile(join(dir, 'f.yaml')), fixture);
        assert.deepEqual(readFixtureFile(join(dir, 'f.yml')), readFixtureFile(join(dir, 'f.json')));
        writeFileSync(join(dir, 'bad.yaml'), 'organizations:\n  - name: Org\n    keys:\n      - name: k\n        keyId: short\n');
        assert.throws(() => readFixtureFile(join(dir, 'bad.yaml')), (err: Error) => err.message.includes('bad.yaml') && err.message.includes("'organizations[0].keys[0].keyId'"));
        writeFileSync(join(dir, 'bad.json'), '{"organizations": [');
        assert.throws(() => readFixtureFile(join(dir, 'bad.json')), /bad\.json: not valid JSON/);
        writeFileSync(join(dir, 'dup.yaml'), 'organizations: []\norganizations: []\n');
        assert.throws(() => readFixtureFile(join(dir, 'dup.yaml')), /not valid YAML/);
        assert.throws(() => readFixtureFile(join(dir, 'missing.json')), /missing\.json: cannot read/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
