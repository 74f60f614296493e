import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import addFormats from 'ajv-formats';
import { Ajv } from 'ajv';
import { stringify as toYaml } from 'yaml';
import { verifyActivityChains } from '../../src/domain/activities/activity-audit.js';
import { generateKeyPair } from '../../src/domain/keys/key-material.js';
import { testBackends } from '../helpers/backends.js';
import { runCli, startServe, stopAllServers } from '../helpers/cli.js';
import { apiResponses, richFixture } from '../helpers/fixtures.js';
import { request, startTestServer, type TestServer } from '../helpers/server.js';

// The state controls over HTTP: POST /_orgplane/seed, POST /_orgplane/reset,
// GET /_orgplane/snapshot, GET /_orgplane/fixture-schema, and `serve --seed`.

const snapshotOf = async (server: { url: string }) => {
  const res = await request(server, 'GET', '/_orgplane/snapshot');
  assert.equal(res.status, 200, res.text);
  return res.body.result;
};

for (const backend of testBackends()) {
  describe(`state controls [${backend}]`, () => {
    let server: TestServer;
    const known = richFixture();

    before(async () => {
      server = await startTestServer({ backend, controls: {} });
    });
    after(async () => {
      await server.close();
    });

    it('seeds a fixture with known credentials, which then authenticate; the creations are in a chain that verifies', async () => {
      const res = await request(server, 'POST', '/_orgplane/seed', { body: known.fixture });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body.result.organizationIds, [known.organizationId]);
      assert.equal(res.body.result.keys, 3);
      const [admin] = known.credentials;
      const org = await request(server, 'GET', `/v1/organizations/${known.organizationId}`, { auth: admin! });
      assert.equal(org.status, 200, org.text);
      assert.equal(org.body.result.name, 'Fixture Org');
      const activities = await request(server, 'GET', `/v1/organizations/${known.organizationId}/activities`, { auth: admin! });
      assert.ok(activities.body.result.some((a: any) => a.type === 'key_create'));
      assert.equal((await verifyActivityChains(server.domain.db)).broken, undefined);
    });

    it('refuses a conflicting seed with a 409 naming the ID, and changes nothing', async () => {
      const before = JSON.stringify(await snapshotOf(server));
      const again = await request(server, 'POST', '/_orgplane/seed', { body: { organizations: [{ id: known.organizationId, name: 'Clash' }, { name: 'Would be new' }] } });
      assert.equal(again.status, 409, again.text);
      assert.match(again.body.error, new RegExp(known.organizationId));
      const invalid = await request(server, 'POST', '/_orgplane/seed', { body: { organizations: [{ name: 'Bad key', keys: [{ name: 'k', keyId: 'short', keySecret: 'x', roles: ['admin'] }] }] } });
      assert.equal(invalid.status, 400, invalid.text);
      assert.match(invalid.body.error, /keys\/?\[?0\]?.*keyId|keyId/);
      assert.equal(JSON.stringify(await snapshotOf(server)), before);
    });

    it('snapshot → reset → seed(snapshot) gives byte-identical API responses and a chain that verifies; no secret in the snapshot', async () => {
      const [admin] = known.credentials;
      const path = `/v1/organizations/${known.organizationId}`;
      assert.equal((await request(server, 'PATCH', path, { auth: admin!, body: { name: 'Renamed over the API' } })).status, 200);
      const responses = await apiResponses(server, known.organizationId, admin!);
      const snapshot = await snapshotOf(server);
      const text = JSON.stringify(snapshot);
      for (const { keyId, keySecret } of [...known.credentials, server.admin]) {
        assert.ok(!text.includes(keyId) && !text.includes(keySecret), 'a snapshot holds no key ID or secret');
      }
      const reset = await request(server, 'POST', '/_orgplane/reset');
      assert.equal(reset.status, 200, reset.text);
      assert.deepEqual(reset.body.result, { seeded: null });
      assert.deepEqual((await snapshotOf(server)).organizations, []);
      assert.equal((await request(server, 'GET', path, { auth: admin! })).status, 401, 'the state is gone');
      const seeded = await request(server, 'POST', '/_orgplane/seed', { body: snapshot });
      assert.equal(seeded.status, 200, seeded.text);
      assert.deepEqual(await apiResponses(server, known.organizationId, admin!), responses);
      assert.equal((await verifyActivityChains(server.domain.db)).broken, undefined);
      assert.deepEqual(await snapshotOf(server), snapshot);
    });

    it('takes fixtures larger than the API\'s 1 MiB body limit', async () => {
      const endpoints = Array.from({ length: 1000 }, (_, i) => ({ id: `vpce-${String(i).padStart(59, '0')}`, description: 'd'.repeat(128), cloudProvider: 'aws', region: 'us-east-1' }));
      const body = { organizations: Array.from({ length: 5 }, (_, i) => ({ name: `Big ${i}`, privateEndpoints: endpoints })) };
      assert.ok(JSON.stringify(body).length > 1024 * 1024);
      const res = await request(server, 'POST', '/_orgplane/seed', { body });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.result.privateEndpoints, 5000);
    });

    it('refuses a seed body over 64 MiB with a 413 in the envelope', async () => {
      const res = await request(server, 'POST', '/_orgplane/seed', { rawBody: `{"organizations":[],"x":"${'x'.repeat(64 * 1024 * 1024)}"}`, headers: { 'content-type': 'application/json' } });
      assert.equal(res.status, 413, res.text.slice(0, 200));
      assert.ok(res.body.requestId, 'the envelope');
    });

    it('serves the fixture format as a JSON Schema that the snapshot satisfies', async () => {
      const res = await request(server, 'GET', '/_orgplane/fixture-schema');
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.$schema, 'http://json-schema.org/draft-07/schema#');
      const ajv = addFormats.default(new Ajv({ strict: false }));
      const validate = ajv.compile(res.body);
      assert.ok(validate(await snapshotOf(server)), JSON.stringify(validate.errors));
      assert.ok(!validate({ organizations: [{ name: 'x', colour: 'red' }] }), 'unknown fields are refused');
    });
  });

  describe(`state controls and this instance's counters [${backend}]`, () => {
    let counted: TestServer;
    const known = richFixture();

    before(async () => {
      counted = await startTestServer({ backend, controls: {}, rateLimit: { points: 3, windowSeconds: 60 }, failedAuthLimit: { points: 2, windowSeconds: 60 } });
    });
    after(async () => {
      await counted.close();
    });

    it('reset forgets the rate-limit and failed-authentication counters of this instance', async () => {
      assert.equal((await request(counted, 'POST', '/_orgplane/seed', { body: known.fixture })).status, 200);
      const [admin] = known.credentials;
      const path = `/v1/organizations/${known.organizationId}`;
      let status = 200;
      for (let i = 0; i < 5 && status === 200; i++) status = (await request(counted, 'GET', path, { auth: admin! })).status;
      assert.equal(status, 429, 'the key used up its 3 requests');
      const wrong = { keyId: admin!.keyId, keySecret: generateKeyPair().keySecret };
      await request(counted, 'GET', path, { auth: wrong });
      await request(counted, 'GET', path, { auth: wrong });
      assert.equal((await request(counted, 'GET', path, { auth: wrong })).status, 429, 'the address used up its 2 failures');
      const snapshot = await snapshotOf(counted);
      assert.equal((await request(counted, 'POST', '/_orgplane/reset')).status, 200);
      assert.equal((await request(counted, 'POST', '/_orgplane/seed', { body: snapshot })).status, 200);
      const after = await request(counted, 'GET', path, { auth: admin! });
      assert.equal(after.status, 200, after.text);
      assert.equal(after.headers.get('x-ratelimit-remaining'), '2');
    });

    it('reset also drops the fault rules and empties the request journal: a clean slate for the next test', async () => {
      const rules = { rules: [{ method: 'GET', route: '/v1/organizations', status: 503 }] };
      assert.equal((await request(counted, 'POST', '/_orgplane/faults', { body: rules })).status, 200);
      assert.equal((await request(counted, 'PUT', '/_orgplane/clock', { body: { now: '2045-01-01T00:00:00Z', frozen: true } })).status, 200);
      assert.equal((await request(counted, 'GET', '/v1/organizations')).status, 503);
      assert.ok((await request(counted, 'GET', '/_orgplane/requests')).body.result.length > 0, 'the faulted request is journaled');
      assert.equal((await request(counted, 'POST', '/_orgplane/reset')).status, 200);
      assert.deepEqual((await request(counted, 'GET', '/_orgplane/faults')).body.result.rules, []);
      assert.deepEqual((await request(counted, 'GET', '/_orgplane/requests')).body.result, []);
      assert.equal((await request(counted, 'GET', '/_orgplane/clock')).body.result.real, true, 'without --clock, back to real time');
      assert.equal((await request(counted, 'GET', '/v1/organizations')).status, 401, 'no fault: the real 401 of a request without credentials');
    });

  });
}

describe('orgplane serve --controls --seed', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'orgplane-seed-'));
  });
  after(async () => {
    await stopAllServers();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies a YAML fixture to the empty database instead of the first-start key, and every reset restores it and the --clock start (new cached keys included)', async () => {
    const pair = generateKeyPair();
    const file = join(dir, 'fixture.yaml');
    writeFileSync(file, toYaml({ organizations: [{ name: 'Seeded Org', keys: [{ name: 'ci-admin', ...pair, roles: ['admin'] }] }] }));
    const serve = await startServe(['--database', `sqlite:${join(dir, 'seeded.db')}`, '--controls', '--seed', file, '--clock', '2030-01-01T00:00:00Z,frozen']);
    assert.ok(!serve.stderr().includes('First start'), 'no first-start key when a fixture is seeded');
    const first = await request(serve, 'GET', '/v1/organizations', { auth: pair });
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(first.body.result.map((o: any) => o.name), ['Seeded Org']);
    const orgPath = `/v1/organizations/${first.body.result[0].id}`;
    assert.equal(first.body.result[0].createdAt, '2030-01-01T00:00:00.000Z');
    assert.equal((await request(serve, 'PATCH', orgPath, { auth: pair, body: { name: 'Changed by a test' } })).status, 200);
    assert.equal((await request(serve, 'POST', '/_orgplane/clock/advance', { body: { seconds: 86_400 } })).status, 200);
    const reset = await request(serve, 'POST', '/_orgplane/reset');
    assert.equal(reset.status, 200, reset.text);
    assert.equal(reset.body.result.seeded.keys, 1);
    // The organization is created anew (a new ID); the key verified before the reset must not answer for the old one.
    const again = await request(serve, 'GET', '/v1/organizations', { auth: pair });
    assert.deepEqual(again.body.result.map((o: any) => [o.id, o.name, o.createdAt]), [[reset.body.result.seeded.organizationIds[0], 'Seeded Org', '2030-01-01T00:00:00.000Z']]);
    assert.deepEqual((await request(serve, 'GET', '/_orgplane/clock')).body.result, { now: '2030-01-01T00:00:00.000Z', frozen: true, real: false }, 'the clock is back at its --clock start');
    assert.equal((await request(serve, 'GET', orgPath, { auth: pair })).status, 403, 'the old organization is not the key\'s');
    await serve.stop();
  });

  it('refuses a fixture that cannot be read or is invalid (exit 2, naming the file and the field), before touching the database', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ organizations: [{ name: 'x', keys: [{ name: 'k', keyId: 'nope', keySecret: 'nope', roles: ['admin'] }] }] }));
    const database = `sqlite:${join(dir, 'untouched.db')}`;
    for (const [file, message] of [
      [bad, /invalid --seed fixture: .*bad\.json: .*organizations\[0\]\.keys\[0\]\.keyId/],
      [join(dir, 'missing.json'), /cannot read the fixture file \(ENOENT\)/],
    ] as const) {
      const res = runCli(['serve', '--port', '0', '--database', database, '--seed', file]);
      assert.equal(res.status, 2, res.stderr);
      assert.match(res.stderr, message);
    }
    assert.equal(runCli(['org', 'list', '--database', database]).status, 1, 'no database was created');
  });
});
