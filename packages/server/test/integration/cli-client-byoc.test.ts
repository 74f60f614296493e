import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCliAsync as runCli } from '../helpers/cli.js';
import { request, startTestServer, type TestServer } from '../helpers/server.js';
import { assertVendorShape } from '../helpers/vendor-schemas.js';

// `orgplane byoc create|update|delete` against a real server over HTTP (the built CLI).

describe('CLI client commands (byoc) over HTTP', () => {
  let server: TestServer;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    server = await startTestServer({ byocProvisioningSeconds: 0 });
    env = { ORGPLANE_URL: server.url, ORGPLANE_KEY_ID: server.admin.keyId, ORGPLANE_KEY_SECRET: server.admin.keySecret };
  });
  after(() => server.close());

  const byocConfig = async () => (await request(server, 'GET', `/v1/organizations/${server.organizationId}`, { auth: server.admin })).body.result.byocConfig;
  const json = async (args: string[]) => {
    const res = await runCli([...args, '--json'], env);
    assert.equal(res.status, 0, `${args.join(' ')}: ${res.stderr}`);
    return JSON.parse(res.stdout);
  };

  it('byoc create takes --region and --account, and --zones, --cidr and --name; prints a table, or the ByocConfig with --json', async () => {
    const created = await json(['byoc', 'create', '--region', 'europe-west4', '--account', 'acme-analytics-eu', '--zones', 'a,b', '--cidr', '10.20.0.0/20', '--name', 'EU prod']);
    assertVendorShape('ByocConfig', created);
    assert.deepEqual(created, { id: created.id, state: 'infra-ready', accountName: 'acme-analytics-eu', regionId: 'europe-west4', cloudProvider: 'gcp', displayName: 'EU prod' });
    const table = await runCli(['byoc', 'create', '--region', 'us-east-1', '--account', '123456789012'], env);
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stdout, /^ID\s+STATE\s+ACCOUNT\s+REGION\s+PROVIDER\s+NAME/);
    assert.match(table.stdout, /infra-ready\s+123456789012\s+us-east-1\s+aws\s+BYOC us-east-1 123456789012/);
    const listed = await byocConfig();
    assert.deepEqual(listed[0], created);
    assert.equal(listed.length, 2);
    const org = await runCli(['org', 'get'], env);
    assert.equal(org.status, 0, org.stderr);
    assert.match(org.stdout, /PRIVATE ENDPOINTS\s+BYOC/);
    assert.ok(org.stdout.includes(`${created.id} infra-ready (gcp/europe-west4)`), org.stdout);
  });

  it('byoc update --name renames; byoc delete terminates', async () => {
    const [first] = await byocConfig();
    const renamed = await json(['byoc', 'update', first.id, '--name', 'EU production']);
    assert.deepEqual(renamed, { ...first, displayName: 'EU production' });
    const deleted = await runCli(['byoc', 'delete', first.id], env);
    assert.equal(deleted.status, 0, deleted.stderr);
    assert.match(deleted.stdout, new RegExp(`Deleted BYOC infrastructure ${first.id}`));
    assert.equal((await byocConfig())[0].state, 'infra-terminated');
    assert.deepEqual(await json(['byoc', 'delete', (await byocConfig())[1].id]), { deleted: (await byocConfig())[1].id });
  });

  it('exits 1 with the server message on a refused request, 2 on usage errors', async () => {
    const refused = await runCli(['byoc', 'create', '--region', 'us-east-1', '--account', '12345'], env);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /Invalid field 'accountId'.*HTTP 400, requestId/);
    const duplicate = await runCli(['byoc', 'create', '--region', 'us-east-2', '--account', '123456789012'], env);
    assert.equal(duplicate.status, 0, duplicate.stderr);
    const conflict = await runCli(['byoc', 'create', '--region', 'us-east-2', '--account', '123456789012'], env);
    assert.equal(conflict.status, 1);
    assert.match(conflict.stderr, /already exists.*HTTP 409/);
    const gone = await runCli(['byoc', 'delete', (await byocConfig())[0].id], env);
    assert.equal(gone.status, 1);
    assert.match(gone.stderr, /BYOC infrastructure not found.*HTTP 404/);
    assert.equal((await runCli(['byoc', 'create', '--account', '123456789012'], env)).status, 2, 'a required option is missing');
    const nothing = await runCli(['byoc', 'update', (await byocConfig())[0].id], env);
    assert.equal(nothing.status, 2);
    assert.match(nothing.stderr, /nothing to update: give --name/);
    const zones = await runCli(['byoc', 'create', '--region', 'us-east-1', '--account', '123456789012', '--zones', 'a,,b'], env);
    assert.equal(zones.status, 2);
    assert.match(zones.stderr, /expected comma-separated zone suffixes/);
  });

  it('has --help with examples on every command', async () => {
    for (const command of [['byoc', 'create'], ['byoc', 'update'], ['byoc', 'delete']]) {
      const help = await runCli([...command, '--help']);
      assert.equal(help.status, 0);
      assert.match(help.stdout, /Example/, command.join(' '));
    }
  });
});
