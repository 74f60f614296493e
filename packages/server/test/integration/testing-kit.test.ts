import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { OrgplaneApiError } from '@orgplane/client';
import { startOrgplane, type Orgplane } from 'orgplane/testing';
import { createTestDatabase, describeUnless, postgresSkipReason } from '../helpers/backends.js';

// orgplane/testing as a user imports it (the package name, the built bundle): one real server per
// test file, started from code, returned to its fixture by every reset.

const ORG_ID = '0f0e0d0c-0b0a-4908-8706-050403020100';
const FIXTURE = {
  organizations: [
    {
      id: ORG_ID,
      name: 'Kit Org',
      keys: [
        { name: 'reader', keyId: 'kitReaderKeyId000001', keySecret: 'kitReaderSecret000000000000000000000000001', roles: ['developer'] },
        { name: 'admin', keyId: 'kitAdminKeyId0000002', keySecret: 'kitAdminSecret0000000000000000000000000002', roles: ['admin'] },
      ],
    },
  ],
};

/** Whether something accepts TCP connections at the URL's port. */
function listening(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const orgPath = (op: Orgplane) => ({ params: { path: { organizationId: op.organizationId } } });

describe('startOrgplane (orgplane/testing)', () => {
  const started: Orgplane[] = [];
  after(() => Promise.all(started.map((op) => op.stop().catch(() => {}))));
  const start = async (options?: Parameters<typeof startOrgplane>[0]) => {
    const op = await startOrgplane(options);
    started.push(op);
    return op;
  };

  it('without a fixture: one organization and an admin key on 127.0.0.1, which every reset keeps', async () => {
    const op = await start();
    assert.match(op.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(op.keyId, /^[A-Za-z0-9]{20}$/);
    assert.match(op.keySecret, /^[A-Za-z0-9]{42}$/);
    const { data: org } = await op.client.GET('/v1/organizations/{organizationId}', orgPath(op));
    assert.equal(org!.result.id, op.organizationId);
    // An admin key: it may create keys.
    const created = await op.client.POST('/v1/organizations/{organizationId}/keys', { ...orgPath(op), body: { name: 'made in a test', roles: ['developer'] } });
    assert.equal(created.data!.result.key.name, 'made in a test');
    assert.equal((await op.client.GET('/v1/organizations/{organizationId}/keys', orgPath(op))).data!.result.length, 2);
    await op.controls.POST('/_orgplane/reset');
    const keys = (await op.client.GET('/v1/organizations/{organizationId}/keys', orgPath(op))).data!.result;
    assert.deepEqual(keys.map((k) => k.keySuffix), [op.keyId.slice(-4)]);
    // Each server makes up its own key.
    const other = await start();
    assert.notEqual(other.keyId, op.keyId);
    assert.notEqual(other.organizationId, op.organizationId);
  });

  it('with a fixture value: its first organization and the first key with known credentials', async () => {
    const op = await start({ fixture: FIXTURE });
    assert.equal(op.organizationId, ORG_ID);
    assert.equal(op.keyId, 'kitReaderKeyId000001');
    assert.equal(op.keySecret, 'kitReaderSecret000000000000000000000000001');
    assert.equal((await op.client.GET('/v1/organizations/{organizationId}', orgPath(op))).data!.result.name, 'Kit Org');
  });

  it('with a fixture file (YAML) and an organization without an ID: one ID, kept by every reset', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orgplane-kit-'));
    try {
      const file = join(dir, 'fixture.yaml');
      writeFileSync(file, 'organizations:\n  - name: From YAML\n    keys:\n      - name: ci\n        keyId: yamlKeyId00000000001\n        keySecret: yamlSecret00000000000000000000000000000001\n        roles: [admin]\n');
      const op = await start({ fixture: file });
      assert.match(op.organizationId, /^[0-9a-f-]{36}$/);
      assert.equal((await op.client.GET('/v1/organizations/{organizationId}', orgPath(op))).data!.result.name, 'From YAML');
      await op.controls.POST('/_orgplane/reset');
      assert.equal((await op.client.GET('/v1/organizations/{organizationId}', orgPath(op))).data!.result.id, op.organizationId);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a bad fixture rejects with the message POST /_orgplane/seed gives for it, and nothing listens', async () => {
    const bad = { organizations: [{ name: 'Bad', keys: [{ name: 'k', keyId: 'short', keySecret: 'kitAdminSecret0000000000000000000000000002', roles: ['admin'] }] }] };
    const op = await start();
    const seeded = await op.controls.POST('/_orgplane/seed', { body: bad as never }).catch((err: unknown) => err);
    assert.ok(seeded instanceof OrgplaneApiError);
    assert.equal(seeded.status, 400);
    await assert.rejects(startOrgplane({ fixture: bad }), (err: Error) => {
      assert.equal(err.message, seeded.message);
      return true;
    });
    await assert.rejects(startOrgplane({ fixture: { organizations: [{ name: 'No known key', keys: [] }] } }), /first organization needs a key with "keyId" and "keySecret"/);
    await assert.rejects(startOrgplane({ fixture: '/no/such/fixture.json' }), /\/no\/such\/fixture\.json: cannot read the fixture file \(ENOENT\)/);
    await assert.rejects(startOrgplane({ clock: 'yesterday' }), /clock/);
  });

  it('clock: the server starts at the given instant, frozen, and the controls move it', async () => {
    const op = await start({ fixture: FIXTURE, clock: '2026-01-01T00:00:00Z,frozen' });
    const admin = { ...FIXTURE.organizations[0]!.keys[1]! };
    const asAdmin = (await import('@orgplane/client')).createClient({ baseUrl: op.url, keyId: admin.keyId, keySecret: admin.keySecret });
    const first = (await asAdmin.POST('/v1/organizations/{organizationId}/keys', { ...orgPath(op), body: { name: 'at new year', roles: ['developer'] } })).data!.result.key;
    assert.equal(first.createdAt, '2026-01-01T00:00:00.000Z');
    await op.controls.POST('/_orgplane/clock/advance', { body: { seconds: 86_400 } });
    const second = (await asAdmin.POST('/v1/organizations/{organizationId}/keys', { ...orgPath(op), body: { name: 'a day later', roles: ['developer'] } })).data!.result.key;
    assert.equal(second.createdAt, '2026-01-02T00:00:00.000Z');
  });

  it('requests() and expectCalled() read what the client sent from the journal', async () => {
    const op = await start();
    await op.client.GET('/v1/organizations/{organizationId}', orgPath(op));
    await op.client.PATCH('/v1/organizations/{organizationId}', { ...orgPath(op), body: { name: 'Renamed' } });
    await op.client.GET('/v1/organizations/{organizationId}', orgPath(op));
    const route = '/v1/organizations/{organizationId}';
    const patches = await op.requests({ method: 'patch', route });
    assert.equal(patches.length, 1);
    assert.equal(patches[0]!.status, 200);
    assert.deepEqual(patches[0]!.body, { name: 'Renamed' });
    assert.equal((await op.requests({ route })).length, 3);
    await op.expectCalled(route, 3);
    await op.expectCalled(route, 2, { method: 'GET' });
    await assert.rejects(op.expectCalled(route, 1, { method: 'PATCH' }).then(() => op.expectCalled('/v1/organizations/{organizationId}/keys', 1)), (err: Error) => {
      assert.equal(err.name, 'AssertionError');
      assert.equal(err.message, 'expected /v1/organizations/{organizationId}/keys to be called 1 time(s), but it was called 0 time(s)');
      return true;
    });
    await assert.rejects(op.expectCalled(route, 2, { method: 'PATCH' }), /expected PATCH \/v1\/organizations\/\{organizationId\} to be called 2 time\(s\), but it was called 1 time\(s\): PATCH \/v1\/organizations\/[0-9a-f-]+ → 200/);
    await op.controls.POST('/_orgplane/reset');
    await op.expectCalled(route, 0);
  });

  it('controlsToken: the controls need it, and op.controls sends it', async () => {
    const op = await start({ controlsToken: 'kit-controls-token-0123456789' });
    const bare = await fetch(`${op.url}/_orgplane/clock`);
    assert.equal(bare.status, 401);
    assert.equal((await op.controls.GET('/_orgplane/clock')).response.status, 200);
  });

  it('stop() leaves nothing listening, no handle open and no file', async () => {
    const before = new Set(readdirSync(tmpdir()));
    const handlesBefore = process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;
    const op = await startOrgplane();
    await op.client.GET('/v1/organizations');
    assert.equal(await listening(op.url), true);
    await op.stop();
    assert.equal(await listening(op.url), false);
    assert.equal(process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length, handlesBefore);
    assert.deepEqual(readdirSync(tmpdir()).filter((name) => !before.has(name) && name.startsWith('orgplane')), []);
  });

  it('a test process that never calls stop() still exits by itself', async () => {
    const script = [
      "const { startOrgplane } = await import('orgplane/testing');",
      'const op = await startOrgplane();',
      "const { data } = await op.client.GET('/v1/organizations');",
      'process.stdout.write(String(data.result.length));',
    ].join('\n');
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: new URL('../..', import.meta.url), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    const started = Date.now();
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.once('exit', (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    assert.equal(code, 0, 'the process did not exit by itself within 20 s');
    assert.equal(out, '1');
    assert.ok(Date.now() - started < 20_000);
  });
});

describeUnless(postgresSkipReason(), 'startOrgplane on PostgreSQL [postgres]', () => {
  it('database: a fresh PostgreSQL database, returned to the fixture by reset; stop() closes its connections', async () => {
    const db = await createTestDatabase('postgres');
    try {
      const op = await startOrgplane({ database: db.url, fixture: FIXTURE });
      try {
        assert.equal((await op.client.GET('/v1/organizations/{organizationId}', orgPath(op))).data!.result.name, 'Kit Org');
        await op.controls.POST('/_orgplane/reset');
        assert.equal((await op.client.GET('/v1/organizations/{organizationId}', orgPath(op))).data!.result.name, 'Kit Org');
      } finally {
        await op.stop();
      }
    } finally {
      await db.drop();
    }
  });
});
