import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { activitiesAfter, listActivities } from '../helpers/activities.js';
import { testBackends } from '../helpers/backends.js';
import { runCli } from '../helpers/cli.js';
import { UNKNOWN_UUID } from '../helpers/key-api.js';
import { request, startTestServer, type TestServer } from '../helpers/server.js';

// `orgplane org update --database URL --org ID …`: the operator mode of
// `org update`, the API's PATCH made straight in the database (no server or
// credentials), audited as actorType "system". Spawns ./bin/orgplane (the
// built CLI: run `npm run build` first; `npm test` does).

/** No credentials anywhere: the operator mode must not need any. */
const NO_CREDENTIALS = { ORGPLANE_KEY_ID: '', ORGPLANE_KEY_SECRET: '', CLICKHOUSE_CLOUD_API_KEY: '', CLICKHOUSE_CLOUD_API_SECRET: '' };

for (const backend of testBackends()) {
  describe(`org update --database (operator) [${backend}]`, () => {
    let server: TestServer;
    const update = (...args: string[]) => runCli(['org', 'update', '--database', server.databaseUrl, ...args], NO_CREDENTIALS);
    const orgPath = () => `/v1/organizations/${server.organizationId}`;
    const organization = async () => {
      const res = await request(server, 'GET', orgPath(), { auth: server.admin });
      assert.equal(res.status, 200, res.text);
      return res.body.result;
    };
    const activities = () => listActivities(server, server.organizationId, server.admin);

    before(async () => {
      server = await startTestServer({ backend });
    });
    after(() => server?.close());

    it('changes name, core dumps and private endpoints; --json prints the organization exactly as the API then shows it', async () => {
      const earlier = await activities();
      const res = update('--org', server.organizationId, '--name', 'Operator Co', '--enable-core-dumps', 'true', '--add-private-endpoint', 'vpce-op,aws,eu-west-1,by the operator', '--json');
      assert.equal(res.status, 0, res.stderr);
      assert.equal(res.stderr, '');
      const printed = JSON.parse(res.stdout);
      assert.equal(printed.name, 'Operator Co');
      assert.equal(printed.enableCoreDumps, true);
      assert.deepEqual(printed.privateEndpoints, [{ id: 'vpce-op', description: 'by the operator', cloudProvider: 'aws', region: 'eu-west-1' }]);
      assert.deepEqual(printed, await organization());

      const recorded = activitiesAfter(earlier, await activities());
      assert.deepEqual(recorded.map((a) => [a.type, a.actorType, a.actorDetails]), [['organization_update_name', 'system', 'orgplane org update']]);
      assert.equal('actorIpAddress' in recorded[0], false);
    });

    it('prints the table of the HTTP mode, and takes the organization ID in upper case', async () => {
      const res = update('--org', server.organizationId.toUpperCase(), '--remove-private-endpoint', 'vpce-op', '--enable-core-dumps', 'false');
      assert.equal(res.status, 0, res.stderr);
      const [header, row, ...rest] = res.stdout.trimEnd().split('\n');
      assert.match(header!, /^ID\s+NAME\s+CREATED\s+CORE DUMPS\s+PRIVATE ENDPOINTS\s+BYOC$/);
      assert.deepEqual(rest, []);
      const shown = await organization();
      assert.deepEqual(row!.split(/\s{2,}/), [server.organizationId, 'Operator Co', shown.createdAt, 'false', '-', '-']);
      assert.deepEqual(shown.privateEndpoints, []);
      assert.equal(shown.enableCoreDumps, false);
    });

    it('an unknown organization exits 1 naming it and changes nothing', async () => {
      const [shown, earlier] = [await organization(), await activities()];
      for (const id of [UNKNOWN_UUID, 'not-an-organization']) {
        const res = update('--org', id, '--name', 'Nobody', '--json');
        assert.equal(res.status, 1, res.stderr);
        assert.equal(res.stderr, `orgplane: Organization ${id} not found\n`);
        assert.equal(res.stdout, '');
      }
      assert.deepEqual(await organization(), shown);
      assert.deepEqual(await activities(), earlier);
    });

    it('usage errors exit 2 and change nothing: nothing to change, no --org, or --database with HTTP connection flags', async () => {
      const shown = await organization();
      const cases: [string[], RegExp][] = [
        [['--org', server.organizationId], /^orgplane: nothing to update: give --name, --enable-core-dumps or a private endpoint option\n$/],
        [['--org', server.organizationId, '--json'], /^orgplane: nothing to update/],
        [['--name', 'No org'], /^orgplane: --database needs --org <id>/],
        [['--org', server.organizationId, '--name', 'Ambiguous', '--url', server.url], /cannot be used with option '--url/],
        [['--org', server.organizationId, '--name', 'Ambiguous', '--key-id', 'x'], /cannot be used with option '--key-id/],
      ];
      for (const [args, message] of cases) {
        const res = update(...args);
        assert.equal(res.status, 2, `${args.join(' ')}: ${res.stderr}`);
        assert.match(res.stderr, message);
        assert.equal(res.stdout, '');
      }
      assert.deepEqual(await organization(), shown);
    });

    it("refuses what the API's PATCH refuses, with the API's message (exit 1), and changes nothing", async () => {
      const shown = await organization();
      const cases: [Record<string, unknown>, string[]][] = [
        [{ name: '   ' }, ['--name', '   ']],
        [{ name: 'n'.repeat(256) }, ['--name', 'n'.repeat(256)]],
        [{ privateEndpoints: { add: [{ id: 'e'.repeat(65), cloudProvider: 'aws', region: 'us-east-1' }] } }, ['--add-private-endpoint', `${'e'.repeat(65)},aws,us-east-1`]],
        [{ privateEndpoints: { add: [{ id: 'vpce-d', description: 'd'.repeat(129), cloudProvider: 'aws', region: 'us-east-1' }] } }, ['--add-private-endpoint', `vpce-d,aws,us-east-1,${'d'.repeat(129)}`]],
      ];
      for (const [body, args] of cases) {
        const api = await request(server, 'PATCH', orgPath(), { auth: server.admin, body });
        assert.equal(api.status, 400, api.text);
        const res = update('--org', server.organizationId, ...args);
        assert.equal(res.status, 1, res.stderr);
        assert.equal(res.stderr, `orgplane: ${api.body.error}\n`);
        assert.equal(res.stdout, '');
      }
      assert.deepEqual(await organization(), shown);
    });
  });
}
