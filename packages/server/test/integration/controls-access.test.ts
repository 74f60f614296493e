import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createClient, createControlsClient, OrgplaneApiError } from '@orgplane/client';
import { runCli, startServe, stopAllServers } from '../helpers/cli.js';
import { request, startTestServer, type TestServer } from '../helpers/server.js';

// Who may reach the emulator controls: nobody unless --controls; with a token, only its bearer.

const CONTROL_PATHS: [string, string][] = [
  ['GET', '/_orgplane/clock'],
  ['PUT', '/_orgplane/clock'],
  ['POST', '/_orgplane/clock/advance'],
  ['DELETE', '/_orgplane/clock'],
  ['POST', '/_orgplane/seed'],
  ['POST', '/_orgplane/reset'],
  ['GET', '/_orgplane/snapshot'],
  ['GET', '/_orgplane/fixture-schema'],
  ['GET', '/_orgplane/faults'],
  ['POST', '/_orgplane/faults'],
  ['DELETE', '/_orgplane/faults'],
  ['GET', '/_orgplane/requests'],
  ['DELETE', '/_orgplane/requests'],
];
const TOKEN = 'ci-controls-token-0123456789';

describe('emulator controls off (the default)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });

  it('answers /_orgplane/* with the 404 of an unknown route, with or without credentials', async () => {
    for (const [method, path] of CONTROL_PATHS) {
      for (const auth of [null, server.admin, `Bearer ${TOKEN}`]) {
        const res = await request(server, method, path, { auth, ...(method === 'GET' || method === 'DELETE' ? {} : { body: {} }) });
        assert.equal(res.status, 404, `${method} ${path}`);
        assert.equal(res.body.error, `No route ${method} ${path}`);
      }
    }
  });

  it('leaves the controls out of the OpenAPI document', async () => {
    const doc = (await request(server, 'GET', '/v1')).body;
    assert.deepEqual(Object.keys(doc.paths).filter((p) => p.startsWith('/_orgplane')), []);
    assert.ok(!doc.tags.some((t: any) => t.name === 'Emulator controls'));
    assert.equal(doc.components.securitySchemes.controlsToken, undefined);
  });
});

describe('emulator controls with a token', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ controls: { token: TOKEN } });
  });
  after(async () => {
    await server.close();
  });

  it('answers 401 with a Bearer challenge on every control without the token, with a wrong one, and with an API key', async () => {
    for (const [method, path] of CONTROL_PATHS) {
      const res = await request(server, method, path, { auth: server.admin });
      assert.equal(res.status, 401, `${method} ${path}`);
    }
    for (const auth of [null, 'Bearer wrong-token-0123456789', `Bearer ${TOKEN}x`, `bearer ${TOKEN}`, server.admin, `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`]) {
      const res = await request(server, 'GET', '/_orgplane/clock', { auth });
      assert.equal(res.status, 401, String(auth));
      assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="orgplane controls"');
      assert.match(res.body.error, /Bearer/);
      assert.ok(res.body.requestId);
    }
  });

  it('lets the bearer of the token in, and the token opens nothing of the API', async () => {
    const res = await request(server, 'GET', '/_orgplane/clock', { auth: `Bearer ${TOKEN}` });
    assert.equal(res.status, 200, res.text);
    assert.equal((await request(server, 'GET', '/v1/organizations', { auth: `Bearer ${TOKEN}` })).status, 401);
  });

  it('never writes the token to the log', async () => {
    assert.ok(server.logs.length > 0);
    assert.ok(!server.logs.join('\n').includes(TOKEN));
  });

  it('is reachable from the typed client, which sends the token', async () => {
    const controls = createControlsClient({ baseUrl: server.url, token: TOKEN });
    const set = await controls.PUT('/_orgplane/clock', { body: { now: '2040-05-05T00:00:00Z', frozen: true } });
    assert.equal(set.data?.result.now, '2040-05-05T00:00:00.000Z');
    const api = createClient({ baseUrl: server.url, ...server.admin });
    const org = await api.GET('/v1/organizations/{organizationId}', { params: { path: { organizationId: server.organizationId } } });
    assert.ok(org.data?.result.createdAt);
    await assert.rejects(createControlsClient({ baseUrl: server.url }).GET('/_orgplane/clock'), (err: unknown) => err instanceof OrgplaneApiError && err.status === 401);
  });

  it('describes the controls in the OpenAPI document under their own tag, apart from the vendor operations', async () => {
    const doc = (await request(server, 'GET', '/v1')).body;
    const operations = Object.entries(doc.paths).flatMap(([path, item]: [string, any]) => Object.values(item).map((op: any) => ({ path, op })));
    const controls = operations.filter(({ path }) => path.startsWith('/_orgplane'));
    assert.equal(controls.length, CONTROL_PATHS.length, 'every control is described');
    for (const { op } of controls) {
      assert.deepEqual(op.tags, ['Emulator controls']);
      assert.ok(op.operationId.startsWith('controls'));
      assert.deepEqual(op.security, [{ controlsToken: [] }, {}]);
    }
    for (const { path, op } of operations) if (!path.startsWith('/_orgplane')) assert.ok(!op.tags?.includes('Emulator controls'), path);
    assert.equal(doc.components.securitySchemes.controlsToken.scheme, 'bearer');
  });
});

describe('orgplane serve --controls and --clock', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'orgplane-controls-'));
  });
  after(async () => {
    await stopAllServers();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses the controls off loopback without a token, a short token, a token without --controls and a bad switch (exit 2)', () => {
    const database = `sqlite:${join(dir, 'refused.db')}`;
    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [['--controls', '--host', '0.0.0.0'], {}, /not a loopback address, needs --controls-token/],
      [['--host', '::'], { ORGPLANE_CONTROLS: '1' }, /needs --controls-token/],
      [['--controls', '--controls-token', 'short'], {}, /at least 16 printable ASCII characters/],
      [['--controls-token', TOKEN], {}, /controls are off/],
      [[], { ORGPLANE_CONTROLS: 'yes' }, /invalid ORGPLANE_CONTROLS "yes"/],
      [['--clock', 'soon'], {}, /invalid clock "soon"/],
      [['--clock', '2030-01-01T00:00:00Z,stopped'], {}, /invalid clock/],
    ];
    for (const [args, env, message] of cases) {
      const res = runCli(['serve', '--port', '0', '--database', database, ...args], env);
      assert.equal(res.status, 2, `${args.join(' ')}: ${res.stderr}`);
      assert.match(res.stderr, message);
    }
  });

  it('serves the controls on a non-loopback address with a token (bearer only)', async () => {
    const serve = await startServe(['--host', '0.0.0.0', '--database', `sqlite:${join(dir, 'wide.db')}`, '--controls'], { ORGPLANE_CONTROLS_TOKEN: TOKEN });
    const url = serve.url.replace('0.0.0.0', '127.0.0.1');
    assert.equal((await request({ url }, 'GET', '/_orgplane/clock')).status, 401);
    assert.equal((await request({ url }, 'GET', '/_orgplane/clock', { auth: `Bearer ${TOKEN}` })).status, 200);
    await serve.stop();
    assert.ok(!serve.stdout().includes(TOKEN) && !serve.stderr().includes(TOKEN));
  });

  it('starts the clock where --clock says, frozen, and refuses a later start before the newest timestamp', async () => {
    const database = `sqlite:${join(dir, 'clocked.db')}`;
    const serve = await startServe(['--database', database, '--clock', '2030-01-01T00:00:00Z,frozen']);
    const [, keyId, keySecret] = /key ID:\s+(\S+)\n\s+key secret:\s+(\S+)/.exec(serve.stderr())!;
    const orgs = await request(serve, 'GET', '/v1/organizations', { auth: { keyId: keyId!, keySecret: keySecret! } });
    assert.equal(orgs.body.result[0].createdAt, '2030-01-01T00:00:00.000Z');
    assert.equal((await request(serve, 'GET', '/_orgplane/clock')).status, 404, '--clock alone does not serve the controls');
    await serve.stop();
    const refused = runCli(['serve', '--port', '0', '--database', database, '--clock', '2029-12-31T00:00:00Z']);
    assert.equal(refused.status, 1, refused.stderr);
    assert.match(refused.stderr, /--clock 2029-12-31T00:00:00\.000Z is before 2030-01-01T00:00:00\.000Z/);
  });
});
