import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { get } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { systemClock } from '../../src/clock.js';
import { openDatabase } from '../../src/db/database.js';
import { systemActor } from '../../src/domain/actor.js';
import { createDomain } from '../../src/domain/create-domain.js';
import { updateOrganization } from '../../src/domain/organizations/organization-patch.js';
import { runCli, runCliAsync, startServe, stopAllServers } from '../helpers/cli.js';
import { basic, request } from '../helpers/server.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'orgplane-cli-'));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until check() gives a value; fails with message() after timeoutMs. */
async function waitFor<T>(check: () => T | undefined, timeoutMs: number, message: () => string): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(50)) {
    const value = check();
    if (value !== undefined) return value;
  }
  return assert.fail(message());
}

/** Every process below pid (Linux /proc): the server, and any shell npm put in between. */
function descendantsOf(pid: number): number[] {
  const children = readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
    readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
  );
  return children.flatMap((child) => [child, ...descendantsOf(child)]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

let n = 0;
const freshDb = () => `sqlite:${join(dir, `db-${n++}.sqlite`)}`;
/** A new, migrated database: operator commands such as bootstrap refuse one that does not exist. */
const migratedDb = () => {
  const db = freshDb();
  const res = runCli(['migrate', '--database', db]);
  assert.equal(res.status, 0, res.stderr);
  return db;
};

describe('orgplane CLI', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('--version and -V print the version of package.json alone, exit 0', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const res = runCli([flag]);
      assert.equal(res.status, 0, res.stderr);
      assert.equal(res.stdout, `${version}\n`);
    }
    // After a command, --version is that command's option (services add takes one).
    assert.match(runCli(['services', 'add', '--help']).stdout, /--version <version>/);
  });

  it('bootstrap --json prints exactly one JSON object and nothing else on stdout', () => {
    const res = runCli(['bootstrap', '--org-name', 'Acme', '--json', '--database', migratedDb()]);
    assert.equal(res.status, 0, res.stderr);
    const lines = res.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    const parsed = JSON.parse(lines[0]!);
    assert.deepEqual(Object.keys(parsed).sort(), ['keyId', 'keySecret', 'organizationId']);
  });

  it('bootstrap accepts each role and refuses others with exit 2', () => {
    const db = migratedDb();
    for (const role of ['admin', 'developer', 'query_endpoints']) {
      assert.equal(runCli(['bootstrap', '--org-name', role, '--role', role, '--json', '--database', db]).status, 0);
    }
    const bad = runCli(['bootstrap', '--org-name', 'x', '--role', 'owner', '--database', db]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /owner/);
    assert.equal(runCli(['bootstrap', '--database', db]).status, 2, 'missing --org-name');
  });

  it('migrate is idempotent', () => {
    const db = freshDb();
    const first = runCli(['migrate', '--database', db]);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /Applied/);
    const second = runCli(['migrate', '--database', db]);
    assert.equal(second.status, 0);
    assert.match(second.stdout, /up to date/);
  });

  it('operator commands refuse a database that does not exist (exit 1, one line) and create none; migrate creates one', () => {
    const missing = join(dir, 'not-there', 'typo.db');
    const db = `sqlite:${missing}`;
    const org = '00000000-0000-4000-8000-000000000000';
    const commands = [
      ['audit', 'verify'],
      ['bootstrap', '--org-name', 'Nowhere'],
      ['keys', 'create', '--org', org, '--name', 'k', '--role', 'admin'],
      ['keys', 'list', '--org', org],
      ['keys', 'disable', '--org', org, '--key', org],
      ['keys', 'enable', '--org', org, '--key', org],
      ['keys', 'delete', '--org', org, '--key', org],
      ['org', 'list'],
    ];
    for (const args of commands) {
      const res = runCli([...args, '--database', db]);
      assert.equal(res.status, 1, `${args.join(' ')}: exit ${res.status} ${res.stdout}`);
      assert.equal(res.stderr, `orgplane: no database at ${db} (only \`orgplane migrate\` and \`orgplane serve\` create one)\n`, args.join(' '));
      assert.equal(res.stdout, '', args.join(' '));
      assert.equal(existsSync(missing), false, `${args.join(' ')} created the database`);
    }
    // The default path counts too: an operator in the wrong directory gets the same refusal.
    const cwd = mkdtempSync(join(tmpdir(), 'orgplane-cwd-'));
    try {
      const res = runCli(['audit', 'verify'], {}, { cwd });
      assert.equal(res.status, 1, res.stdout);
      assert.match(res.stderr, /^orgplane: no database at sqlite:\.\/data\/orgplane\.db /);
      assert.equal(existsSync(join(cwd, 'data')), false);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
    assert.equal(runCli(['migrate', '--database', db]).status, 0);
    assert.equal(existsSync(missing), true);
    const audit = runCli(['audit', 'verify', '--database', db]);
    assert.equal(audit.status, 0, audit.stderr);
  });

  it('operator commands on a PostgreSQL database that does not exist exit 1 with one line', { skip: !process.env.ORGPLANE_TEST_POSTGRES_URL && 'needs ORGPLANE_TEST_POSTGRES_URL' }, () => {
    const url = new URL(process.env.ORGPLANE_TEST_POSTGRES_URL!);
    url.pathname = '/orgplane_no_such_database';
    for (const args of [['audit', 'verify'], ['bootstrap', '--org-name', 'Nowhere'], ['keys', 'list', '--org', '00000000-0000-4000-8000-000000000000'], ['org', 'list']]) {
      const res = runCli([...args, '--database', url.toString()]);
      assert.equal(res.status, 1, `${args.join(' ')}: exit ${res.status}`);
      assert.match(res.stderr, /^orgplane: .*"orgplane_no_such_database" does not exist\n$/, args.join(' '));
    }
  });

  it('refuses bad configuration with exit 2 and a clear message', () => {
    const rate = runCli(['serve', '--rate-limit', 'lots', '--database', 'sqlite::memory:']);
    assert.equal(rate.status, 2);
    assert.match(rate.stderr, /invalid rate limit/);
    const url = runCli(['migrate', '--database', 'mysql://x']);
    assert.equal(url.status, 2);
    assert.match(url.stderr, /unsupported database URL/);
    for (const [flag, name] of [
      ['--max-unsent-per-address', 'max unsent bytes per address'],
      ['--max-unsent', 'max unsent bytes'],
      ['--min-read-rate', 'minimum read rate'],
      ['--send-buffer', 'send buffer'],
    ]) {
      for (const value of ['0', 'lots', '1.5']) {
        const bad = runCli(['serve', flag!, value, '--database', 'sqlite::memory:']);
        assert.equal(bad.status, 2, `${flag} ${value}`);
        assert.match(bad.stderr, new RegExp(`invalid ${name} "${value.replace('.', '\\.')}"`));
      }
    }
    const huge = runCli(['serve', '--send-buffer', String(2 ** 30 + 1), '--database', 'sqlite::memory:']);
    assert.equal(huge.status, 2);
    assert.match(huge.stderr, /invalid send buffer "1073741825": at most 1073741824 bytes/);
  });

  it('serve on an empty database prints a working key once; a restart keeps data and prints none', async () => {
    const db = freshDb();
    const first = await startServe(['--database', db, '--rate-limit', 'off']);
    const curl = /curl -u '([^:]+):([^']+)' (\S+)/.exec(first.stderr());
    assert.ok(curl, first.stderr());
    const auth = { keyId: curl[1]!, keySecret: curl[2]! };
    assert.equal(curl[3], `${first.url}/v1/organizations`);
    // The banner and the log line give the console's address, and it answers there.
    const consoleLine = /^ {2}console: (\S+)/m.exec(first.stderr());
    assert.ok(consoleLine, first.stderr());
    assert.equal(consoleLine[1], `${first.url}/console/`);
    const listening = first.stdout().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line)).find((line) => line.msg === 'orgplane listening');
    assert.equal(listening?.console, `${first.url}/console/`);
    const page = await fetch(consoleLine[1]!);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type')!, /^text\/html/);
    const list = await request(first, 'GET', '/v1/organizations', { auth });
    assert.equal(list.status, 200);
    const orgId = list.body.result[0].id;
    assert.equal((await request(first, 'PATCH', `/v1/organizations/${orgId}`, { auth, body: { name: 'Persisted' } })).status, 200);
    assert.equal(await first.stop('SIGTERM'), 0);
    assert.ok(!first.stdout().includes(auth.keySecret) && !first.stdout().includes(auth.keyId), 'the JSON log never carries the credential');

    const second = await startServe(['--database', db, '--rate-limit', 'off']);
    assert.doesNotMatch(second.stderr(), /key secret/);
    const org = await request(second, 'GET', `/v1/organizations/${orgId}`, { auth });
    assert.equal(org.body.result.name, 'Persisted');
    const activities = await request(second, 'GET', `/v1/organizations/${orgId}/activities`, { auth });
    assert.equal(activities.body.result[0].type, 'organization_update_name');
    await second.stop();
  });

  it('a first start that cannot listen (port taken) has still shown the admin key, which works on the next start', async () => {
    const db = freshDb();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as AddressInfo).port;
    let failed: Awaited<ReturnType<typeof runCliAsync>>;
    try {
      failed = await runCliAsync(['serve', '--port', String(taken), '--database', db, '--rate-limit', 'off']);
    } finally {
      blocker.close();
    }
    assert.notEqual(failed.status, 0, 'serve on a taken port must fail');
    assert.match(failed.stderr, /EADDRINUSE/);
    const organizationId = /organization ID:\s+(\S+)/.exec(failed.stderr)?.[1];
    const keyId = /key ID:\s+(\S+)/.exec(failed.stderr)?.[1];
    const keySecret = /key secret:\s+(\S+)/.exec(failed.stderr)?.[1];
    assert.ok(organizationId && keyId && keySecret, `no credentials in: ${failed.stderr}`);
    assert.ok(!failed.stdout.includes(keySecret), 'the JSON log never carries the secret');

    const server = await startServe(['--database', db, '--rate-limit', 'off']);
    try {
      assert.doesNotMatch(server.stderr(), /key secret/, 'the organization exists: nothing new is created or shown');
      const list = await request(server, 'GET', '/v1/organizations', { auth: { keyId, keySecret } });
      assert.equal(list.status, 200);
      assert.deepEqual(list.body.result.map((o: { id: string }) => o.id), [organizationId]);
    } finally {
      await server.stop();
    }
  });

  it('lost the first key: org list --database shows the organizations without credentials, keys create makes a new admin key', async () => {
    const db = freshDb();
    const first = await startServe(['--database', db, '--rate-limit', 'off']);
    await first.stop();
    const other = JSON.parse(runCli(['bootstrap', '--org-name', 'Second | org', '--json', '--database', db]).stdout);
    // No credentials anywhere: the operator works on the database alone.
    const noCredentials = { ORGPLANE_KEY_ID: '', ORGPLANE_KEY_SECRET: '', CLICKHOUSE_CLOUD_API_KEY: '', CLICKHOUSE_CLOUD_API_SECRET: '' };
    const json = runCli(['org', 'list', '--database', db, '--json'], noCredentials);
    assert.equal(json.status, 0, json.stderr);
    const organizations = JSON.parse(json.stdout);
    assert.deepEqual(organizations.map((o: { name: string }) => o.name), ['Default organization', 'Second | org']);
    for (const o of organizations) {
      assert.deepEqual(Object.keys(o).sort(), ['createdAt', 'id', 'name']);
      assert.match(o.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    assert.equal(organizations[1].id, other.organizationId);
    const table = runCli(['org', 'list', '--database', db], noCredentials);
    assert.equal(table.status, 0, table.stderr);
    for (const column of ['ID', 'NAME', 'CREATED']) assert.match(table.stdout, new RegExp(`\\b${column}\\b`));
    for (const o of organizations) assert.ok(table.stdout.includes(o.id) && table.stdout.includes(o.name), table.stdout);
    assert.equal(runCli(['org', 'list'], noCredentials).status, 2, 'without --database it stays the HTTP client and needs credentials');
    assert.equal(runCli(['org', 'list', '--database', db, '--url', 'http://127.0.0.1:1']).status, 2, '--database and --url together are ambiguous');

    const created = runCli(['keys', 'create', '--org', organizations[0].id, '--name', 'recovered', '--role', 'admin', '--json', '--database', db]);
    assert.equal(created.status, 0, created.stderr);
    const { keyId, keySecret } = JSON.parse(created.stdout);
    const server = await startServe(['--database', db, '--rate-limit', 'off']);
    try {
      const auth = { keyId, keySecret };
      assert.equal((await request(server, 'GET', '/v1/organizations', { auth })).body.result[0].id, organizations[0].id);
      const keys = await request(server, 'GET', `/v1/organizations/${organizations[0].id}/keys`, { auth });
      assert.equal(keys.status, 200, 'the new key has the admin role');
    } finally {
      await server.stop();
    }
  });

  it('flags win over environment variables', async () => {
    const flagDb = freshDb();
    const envDb = freshDb();
    const server = await startServe(['--database', flagDb, '--host', '127.0.0.1'], { ORGPLANE_DATABASE_URL: envDb, ORGPLANE_HOST: '0.0.0.0', ORGPLANE_RATE_LIMIT: 'off' });
    assert.ok(server.url.startsWith('http://127.0.0.1:'));
    assert.match(server.stdout(), new RegExp(flagDb.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')));
    await server.stop();
  });

  it('request log: every request with --access-log or ORGPLANE_ACCESS_LOG=1; without either only errors; ORGPLANE_ACCESS_LOG=yes is refused', async () => {
    const refused = runCli(['serve', '--database', 'sqlite::memory:'], { ORGPLANE_ACCESS_LOG: 'yes' });
    assert.equal(refused.status, 2, refused.stderr);
    assert.match(refused.stderr, /invalid ORGPLANE_ACCESS_LOG "yes"/);
    // Started together, as each waits up to a second for its buffered log to reach stdout.
    const [flag, env, quiet] = await Promise.all([
      startServe(['--database', freshDb(), '--rate-limit', 'off', '--access-log']),
      startServe(['--database', freshDb(), '--rate-limit', 'off'], { ORGPLANE_ACCESS_LOG: '1' }),
      startServe(['--database', freshDb(), '--rate-limit', 'off'], { ORGPLANE_ACCESS_LOG: undefined }),
    ]);
    const requestLines = (server: typeof flag) =>
      server.stdout().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line)).filter((line) => line.msg === 'request');
    /** The request line of the answer, once the server's log has been flushed to stdout. */
    const lineOf = (server: typeof flag, requestId: string) =>
      waitFor(() => requestLines(server).find((line) => line.requestId === requestId), 5000, () => `no request line for ${requestId} in: ${server.stdout()}`);
    try {
      await Promise.all(
        [flag, env, quiet].map(async (server) => {
          const curl = /curl -u '([^:]+):([^']+)'/.exec(server.stderr());
          assert.ok(curl, server.stderr());
          const auth = { keyId: curl[1]!, keySecret: curl[2]! };
          const ok = await request(server, 'GET', '/v1/organizations', { auth });
          assert.equal(ok.status, 200, ok.text);
          const wrong = await request(server, 'GET', '/v1/organizations', { auth: { keyId: auth.keyId, keySecret: 'wrong' } });
          assert.equal(wrong.status, 401, wrong.text);
          // The 401 comes after the 200 on the same stdout: once its line is there, the 200's would be too.
          const refusedLine = await lineOf(server, wrong.body.requestId);
          assert.deepEqual([refusedLine.status, refusedLine.route, refusedLine.level], [401, '/v1/organizations', 30]);
          const okLines = requestLines(server).filter((line) => line.requestId === ok.body.requestId);
          if (server === quiet) assert.deepEqual(okLines, [], 'a 200 is not logged without the access log');
          else assert.deepEqual(okLines.map((l) => [l.status, l.method, l.route, l.keySuffix]), [[200, 'GET', '/v1/organizations', auth.keyId.slice(-4)]]);
          assert.ok(!server.stdout().includes(auth.keyId) && !server.stdout().includes(auth.keySecret), 'the JSON log never carries the credential');
        }),
      );
    } finally {
      await Promise.all([flag, env, quiet].map((server) => server.stop()));
    }
  });

  it('SIGTERM lets an in-flight request finish and exits 0', async () => {
    const db = migratedDb();
    const { organizationId, keyId, keySecret } = JSON.parse(runCli(['bootstrap', '--org-name', 'Slow', '--json', '--database', db]).stdout);
    // Enough activities that the response cannot fit in socket buffers while the client is not reading.
    const handle = openDatabase(db);
    const domain = createDomain(handle, systemClock);
    for (let i = 0; i < 2000; i++) await updateOrganization(domain, organizationId, { name: `n${i}` }, { actor: systemActor('test') });
    await handle.close();
    const server = await startServe(['--database', db, '--rate-limit', 'off']);
    const chunks: Buffer[] = [];
    const done = new Promise<number>((resolve, reject) => {
      const req = get(`${server.url}/v1/organizations/${organizationId}/activities`, { headers: { authorization: basic({ keyId, keySecret }) } }, (res) => {
        res.once('data', (first: Buffer) => {
          // The response has started: the request is in flight. Stop reading, signal, then read on.
          chunks.push(first);
          res.pause();
          exit = server.stop('SIGTERM');
          setTimeout(() => res.resume(), 300);
          res.on('data', (d: Buffer) => chunks.push(d));
        });
        res.on('end', () => resolve(res.statusCode!));
        res.on('error', reject);
      });
      req.on('error', reject);
    });
    let exit: Promise<number | null> | undefined;
    assert.equal(await done, 200);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    assert.equal(body.result.length, 2002);
    assert.equal(await exit, 0);
  });

  it('npm start passes SIGTERM on: the server shuts down gracefully, closes its port and npm exits 0', { timeout: 60_000 }, async () => {
    const db = freshDb();
    // What Docker and systemd do: signal the process they started, which here is npm.
    const npm = spawn('npm', ['start'], {
      cwd: ROOT,
      env: { ...process.env, ORGPLANE_DATABASE_URL: db, ORGPLANE_PORT: '0', ORGPLANE_RATE_LIMIT: 'off' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    npm.stdout.on('data', (d) => (out += d));
    npm.stderr.resume();
    const exited = once(npm, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const descendants: number[] = [];
    try {
      const url = await waitFor(() => /"url":"(http:\/\/[^"]+)"/.exec(out)?.[1], 20_000, () => `npm start did not listen: ${out}`);
      descendants.push(...descendantsOf(npm.pid!));
      assert.ok(descendants.length > 0, 'the server runs under npm');
      assert.equal((await fetch(`${url}/health`)).status, 200);

      npm.kill('SIGTERM');
      const [code, signal] = await Promise.race([exited, sleep(15_000).then(() => assert.fail(`npm did not exit within 15 s of SIGTERM: ${out}`))]);
      assert.deepEqual({ code, signal }, { code: 0, signal: null }, out);
      await waitFor(() => descendants.every((pid) => !alive(pid)) || undefined, 5000, () => `still running after npm exited: ${descendants.filter(alive).join(', ')}`);
      await assert.rejects(fetch(`${url}/health`), 'the port is closed');
      const log = out.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
      assert.ok(log.some((l) => l.msg === 'shutting down' && l.signal === 'SIGTERM'), out);
      assert.ok(log.some((l) => l.msg === 'shut down' && l.signal === 'SIGTERM'), `no graceful shutdown in the log: ${out}`);
    } finally {
      for (const pid of [npm.pid!, ...descendants]) if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
  });

  it('a 200 PATCH survives kill -9 with its activity', async () => {
    const db = migratedDb();
    const { organizationId, keyId, keySecret } = JSON.parse(runCli(['bootstrap', '--org-name', 'Durable', '--json', '--database', db]).stdout);
    const auth = { keyId, keySecret };
    const server = await startServe(['--database', db, '--rate-limit', 'off']);
    for (let i = 0; i < 20; i++) {
      assert.equal((await request(server, 'PATCH', `/v1/organizations/${organizationId}`, { auth, body: { name: `v${i}` } })).status, 200);
    }
    await server.stop('SIGKILL');
    const again = await startServe(['--database', db, '--rate-limit', 'off']);
    assert.equal((await request(again, 'GET', `/v1/organizations/${organizationId}`, { auth })).body.result.name, 'v19');
    const renames = (await request(again, 'GET', `/v1/organizations/${organizationId}/activities`, { auth })).body.result.filter((a: { type: string }) => a.type === 'organization_update_name');
    assert.equal(renames.length, 20);
    await again.stop();
    const audit = runCli(['audit', 'verify', '--database', db]);
    assert.equal(audit.status, 0, audit.stderr);
  });
});

// Whatever a failed test left running.
after(() => stopAllServers());
