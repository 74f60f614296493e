import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCliAsync as runCli } from '../helpers/cli.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

describe('CLI client commands (org, activity, key) over HTTP', () => {
  let server: TestServer;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    server = await startTestServer();
    env = { ORGPLANE_URL: server.url, ORGPLANE_KEY_ID: server.admin.keyId, ORGPLANE_KEY_SECRET: server.admin.keySecret };
  });
  after(() => server.close());

  it('org list / get print aligned tables with full IDs, and JSON with --json', async () => {
    const table = await runCli(['org', 'list'], env);
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stdout, /^ID\s+NAME\s+CREATED/);
    assert.ok(table.stdout.includes(server.organizationId));
    const json = JSON.parse((await runCli(['org', 'get', '--json'], env)).stdout);
    assert.equal(json.id, server.organizationId);
    // Times are printed exactly as the API sends them (ISO-8601 UTC with milliseconds).
    assert.match(json.createdAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    assert.ok(table.stdout.includes(json.createdAt), table.stdout);
  });

  it('org update changes name, core dumps and private endpoints', async () => {
    const res = await runCli(['org', 'update', '--name', 'CLI Co', '--enable-core-dumps', 'true', '--add-private-endpoint', 'vpce-9,aws,eu-west-1,from cli', '--json'], env);
    assert.equal(res.status, 0, res.stderr);
    const org = JSON.parse(res.stdout);
    assert.equal(org.name, 'CLI Co');
    assert.equal(org.enableCoreDumps, true);
    assert.deepEqual(org.privateEndpoints, [{ id: 'vpce-9', description: 'from cli', cloudProvider: 'aws', region: 'eu-west-1' }]);
    const removed = JSON.parse((await runCli(['org', 'update', '--remove-private-endpoint', 'vpce-9', '--json'], env)).stdout);
    assert.deepEqual(removed.privateEndpoints, []);
  });

  it('activity list filters by date and activity get shows one', async () => {
    const all = JSON.parse((await runCli(['activity', 'list', '--json'], env)).stdout);
    assert.ok(all.length >= 3);
    const none = JSON.parse((await runCli(['activity', 'list', '--from-date', '2001-01-01', '--to-date', '2001-01-02', '--json'], env)).stdout);
    assert.deepEqual(none, []);
    const one = JSON.parse((await runCli(['activity', 'get', all[0].id, '--json'], env)).stdout);
    assert.deepEqual(one, all[0]);
  });

  it('key create / get / update / list / delete', async () => {
    const created = JSON.parse((await runCli(['key', 'create', '--name', 'cli', '--role', 'developer', '--ip-access-list', '10.0.0.0/8=office', '--json'], env)).stdout);
    assert.ok(created.keyId && created.keySecret);
    assert.deepEqual(created.key.ipAccessList, [{ source: '10.0.0.0/8', description: 'office' }]);
    const id = created.key.id;
    assert.equal(JSON.parse((await runCli(['key', 'get', id, '--json'], env)).stdout).name, 'cli');
    const updated = JSON.parse((await runCli(['key', 'update', id, '--state', 'disabled', '--ip-access-list', '', '--json'], env)).stdout);
    assert.equal(updated.state, 'disabled');
    assert.deepEqual(updated.ipAccessList, []);
    assert.match((await runCli(['key', 'list'], env)).stdout, new RegExp(id));
    assert.equal((await runCli(['key', 'delete', id], env)).status, 0);
  });

  it('exits 1 with the message and requestId on API errors', async () => {
    const res = await runCli(['key', 'get', '00000000-0000-4000-8000-000000000000'], env);
    assert.equal(res.status, 1);
    assert.match(res.stderr, /API key not found \(HTTP 404, requestId [0-9a-f-]{36}\)/);
    const unreachable = await runCli(['org', 'list'], { ...env, ORGPLANE_URL: 'http://127.0.0.1:9' });
    assert.equal(unreachable.status, 1);
    assert.match(unreachable.stderr, /cannot reach the server/);
  });

  it('exits 2 on usage errors', async () => {
    assert.equal((await runCli(['org', 'update'], env)).status, 2);
    assert.equal((await runCli(['org', 'update', '--add-private-endpoint', 'x,aws,us-east1'], env)).status, 2);
    assert.equal((await runCli(['key', 'create', '--name', 'x'], env)).status, 2);
    assert.equal((await runCli(['org', 'list'], { ORGPLANE_URL: server.url, ORGPLANE_KEY_ID: '', ORGPLANE_KEY_SECRET: '' })).status, 2);
  });

  it('falls back to the vendor CLI variables', async () => {
    const res = await runCli(['org', 'list', '--json'], { ORGPLANE_URL: server.url, ORGPLANE_KEY_ID: '', ORGPLANE_KEY_SECRET: '', CLICKHOUSE_CLOUD_API_KEY: server.admin.keyId, CLICKHOUSE_CLOUD_API_SECRET: server.admin.keySecret });
    assert.equal(res.status, 0, res.stderr);
    assert.equal(JSON.parse(res.stdout)[0].id, server.organizationId);
  });

  it('has --help with examples on every command', async () => {
    for (const command of [['org', 'list'], ['org', 'get'], ['org', 'update'], ['activity', 'list'], ['activity', 'get'], ['key', 'list'], ['key', 'get'], ['key', 'create'], ['key', 'update'], ['key', 'delete']]) {
      const res = await runCli([...command, '--help']);
      assert.equal(res.status, 0);
      assert.match(res.stdout, /Example/, command.join(' '));
    }
  });
});
