import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, it } from 'node:test';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { createTestDatabase, describeUnless, postgresSkipReason, type TestDatabase } from '../helpers/backends.js';
import { BIN, runCli, startServe, stopAllServers, type CliResult, type ServeProcess } from '../helpers/cli.js';
import { waitForKeyCache } from '../helpers/key-cache.js';
import { request, type ApiResponse, type Credentials } from '../helpers/server.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';

// orgplane against a PostgreSQL that goes away: refused connections, a network black hole,
// sessions killed by the server, and an unreachable database at start-up.
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** The server under test runs with --pg-statement-timeout 2000: no request may wait longer than that plus the 1 s client margin. */
const STATEMENT_TIMEOUT_MS = 2000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function assertUnavailableEnvelope(res: ApiResponse): void {
  assert.equal(res.status, 503, res.text);
  assert.equal(res.body.status, 503);
  assert.match(res.body.error, /temporarily unavailable|unreachable/);
  assert.match(res.body.requestId, UUID_V4);
}

describeUnless(postgresSkipReason(), 'PostgreSQL outages', () => {
  let database: TestDatabase;
  let direct: DatabaseHandle;
  let proxy: TcpProxy;
  let server: ServeProcess;
  let org: string;
  let auth: Credentials;
  const figures: string[] = [];

  /** Polls until the organization reads again; returns how long that took. */
  async function waitForRecovery(): Promise<number> {
    const started = Date.now();
    for (let i = 0; i < 40; i++) {
      if ((await request(server, 'GET', `/v1/organizations/${org}`, { auth })).status === 200) return Date.now() - started;
      await sleep(250);
    }
    assert.fail('did not recover within 10 s');
  }

  async function timed(method: string, body?: unknown): Promise<{ res: ApiResponse; ms: number }> {
    const started = Date.now();
    const res = await request(server, method, `/v1/organizations/${org}`, { auth, ...(body ? { body } : {}) });
    return { res, ms: Date.now() - started };
  }

  before(async () => {
    database = await createTestDatabase('postgres');
    const url = new URL(database.url);
    proxy = new TcpProxy(url.hostname, Number(url.port || 5432));
    await proxy.start();
    const viaProxy = new URL(database.url);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const boot = JSON.parse(runCli(['bootstrap', '--org-name', 'Faulty', '--json', '--database', database.url]).stdout);
    org = boot.organizationId;
    auth = { keyId: boot.keyId, keySecret: boot.keySecret };
    direct = openDatabase(database.url);
    server = await startServe(['--database', viaProxy.toString(), '--rate-limit', 'off', '--pg-statement-timeout', String(STATEMENT_TIMEOUT_MS)]);
  });
  after(async () => {
    if (server.child.exitCode !== null) process.stdout.write(`# orgplane exited ${server.child.exitCode}: ${server.stderr()}\n`);
    if (figures.length > 0) process.stdout.write(`# postgres-faults: ${figures.join('; ')}\n`);
    await server.stop();
    await proxy.cut();
    await direct.close();
    await database.drop();
  });

  it('answers 503 in the envelope while connections are refused, and recovers by itself', async () => {
    assert.equal((await request(server, 'GET', `/v1/organizations/${org}`, { auth })).status, 200);
    await proxy.cut();
    await waitForKeyCache(); // past the verified-key cache, so authentication needs the database too

    for (const [method, body] of [['GET', undefined], ['PATCH', { name: 'during outage' }]] as const) {
      const { res, ms } = await timed(method, body);
      assertUnavailableEnvelope(res);
      assert.ok(ms < 1000, `503 took ${ms} ms`);
      figures.push(`refused ${method} → 503 in ${ms} ms`);
    }
    assertUnavailableEnvelope(await request(server, 'GET', '/ready'));
    assert.equal((await request(server, 'GET', '/health')).status, 200);

    await proxy.restore();
    figures.push(`recovered ${await waitForRecovery()} ms after the database came back`);
    assert.equal((await request(server, 'GET', '/ready')).status, 200);
    assert.equal((await request(server, 'PATCH', `/v1/organizations/${org}`, { auth, body: { name: 'after outage' } })).status, 200);
    // The PATCH refused during the outage left nothing behind.
    const names = await direct.db.selectFrom('activities').select('id').where('organization_id', '=', org).where('type', '=', 'organization_update_name').execute();
    assert.equal(names.length, 1);
  });

  it('answers 503 within the time-outs when the network swallows everything, and recovers', async () => {
    assert.equal((await request(server, 'GET', `/v1/organizations/${org}`, { auth })).status, 200);
    proxy.stall();
    await waitForKeyCache();
    const bound = STATEMENT_TIMEOUT_MS + 1000 + 1500;
    const outcomes = await Promise.all([timed('GET'), timed('PATCH', { name: 'into the void' }), timed('GET')]);
    for (const { res, ms } of outcomes) {
      assertUnavailableEnvelope(res);
      assert.ok(ms < bound, `503 took ${ms} ms (bound ${bound} ms)`);
    }
    figures.push(`black hole → 503 in ${outcomes.map((o) => o.ms).join('/')} ms`);
    const started = Date.now();
    assertUnavailableEnvelope(await request(server, 'GET', '/ready'));
    const readyMs = Date.now() - started;
    assert.ok(readyMs < 3000, `/ready took ${readyMs} ms`);
    figures.push(`black hole → /ready 503 in ${readyMs} ms`);
    assert.equal((await request(server, 'GET', '/health')).status, 200);

    proxy.resume();
    figures.push(`recovered ${await waitForRecovery()} ms after the network came back`);
    assert.equal((await request(server, 'GET', '/ready')).status, 200);
  });

  it('keeps serving when the database kills its sessions under concurrent writes', async () => {
    const statuses = new Map<string, number>();
    const acknowledged: string[] = [];
    let stop = false;
    let n = 0;
    const workers = Array.from({ length: 12 }, async () => {
      while (!stop) {
        const id = `pe-${n++}`;
        let outcome: string;
        try {
          const res = await request(server, 'PATCH', `/v1/organizations/${org}`, {
            auth,
            body: { name: `name ${id}`, privateEndpoints: { add: [{ id, cloudProvider: 'aws', region: 'eu-central-1' }] } },
          });
          outcome = String(res.status);
          if (res.status === 200) acknowledged.push(id);
          else assertUnavailableEnvelope(res);
        } catch (err) {
          outcome = `fetch failed: ${(err as Error).message}`; // the server went away
          await sleep(100);
        }
        statuses.set(outcome, (statuses.get(outcome) ?? 0) + 1);
      }
    });
    for (let i = 0; i < 5; i++) {
      await sleep(250);
      await database.terminateConnections();
    }
    await sleep(500);
    stop = true;
    await Promise.all(workers);
    figures.push(`5 × pg_terminate_backend under 12 concurrent writers: ${JSON.stringify(Object.fromEntries(statuses))}`);

    assert.equal(server.child.exitCode, null, `orgplane exited: ${server.stderr()}`);
    assert.deepEqual([...statuses.keys()].filter((s) => s !== '200' && s !== '503'), []);
    assert.ok((statuses.get('503') ?? 0) > 0, 'the terminations were not noticed');
    assert.equal(await waitForRecovery().then(() => 'recovered'), 'recovered');
    // Every acknowledged change is there, and each change kept its activity (one transaction each).
    const endpoints = (await direct.db.selectFrom('private_endpoints').select('id').where('organization_id', '=', org).execute()).map((r) => r.id);
    for (const id of acknowledged) assert.ok(endpoints.includes(id), `acknowledged ${id} is missing`);
    const renames = await direct.db.selectFrom('activities').select('id').where('organization_id', '=', org).where('type', '=', 'organization_update_name').execute();
    // One rename activity per endpoint, plus the one from the first test.
    assert.equal(renames.length, endpoints.length + 1);
  });

  it('exits non-zero with a clear message when nothing listens at start-up', () => {
    const started = Date.now();
    const res = runCli(['serve', '--port', '0', '--database', 'postgres://postgres@127.0.0.1:9/nothing', '--db-connect-attempts', '3', '--db-connect-interval', '200']);
    const ms = Date.now() - started;
    assert.notEqual(res.status, 0);
    assert.equal(res.stderr.trim(), 'orgplane: cannot reach the database at postgres://postgres@127.0.0.1:9/nothing after 3 attempts: connect ECONNREFUSED 127.0.0.1:9');
    assert.ok(ms < 5000, `took ${ms} ms`);
    figures.push(`start-up against a closed port: exit ${res.status} after ${ms} ms (3 attempts)`);
  });

  it('exits non-zero with a clear message, within the connect time-out, when the database never answers at start-up', async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((s) => sockets.add(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const started = Date.now();
      // Not runCli (spawnSync): this process must keep accepting, and ignoring, the connections.
      const res = await runCliAsync(['serve', '--port', '0', '--database', `postgres://postgres@127.0.0.1:${port}/silent`, '--db-connect-attempts', '2', '--db-connect-interval', '100']);
      const ms = Date.now() - started;
      assert.notEqual(res.status, 0);
      assert.match(res.stderr, /^orgplane: cannot reach the database at postgres:\/\/postgres@127\.0\.0\.1:\d+\/silent after 2 attempts: .*timeout/);
      assert.ok(ms < 10_000, `took ${ms} ms`);
      figures.push(`start-up against a silent server: exit ${res.status} after ${ms} ms (2 attempts)`);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });
});

async function runCliAsync(args: string[]): Promise<CliResult> {
  const child = spawn(BIN, args);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const status = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { status, stdout, stderr };
}

// Whatever a failed test left running.
after(() => stopAllServers());
