import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, testBackends, type TestDatabase } from '../helpers/backends.js';
import { runCli, runCliAsync, startServe, stopAllServers, type ServeProcess } from '../helpers/cli.js';
import { assertError, RoleApi, VIEW } from '../helpers/role-api.js';
import { request, type Credentials } from '../helpers/server.js';
import { assertVendorShape } from '../helpers/vendor-schemas.js';

// GET …/quotas and …/quotas/{quotaCode} (organizationQuotasGetList,
// organizationQuotaGet), the operator's `orgplane quotas set` and the client's
// `orgplane quota list|get`, on a real server process and database.

const CODES = ['services-per-organization', 'postgres-services-per-organization', 'replicas-per-warehouse'];

for (const backend of testBackends()) {
  describe(`quotas [${backend}]`, () => {
    let testDb: TestDatabase;
    let serve: ServeProcess;
    let org: string;
    let admin: Credentials;
    const cli = (...args: string[]) => runCli([...args, '--database', testDb.url]);
    const get = (path: string, auth: Credentials | null = admin) => request(serve, 'GET', `/v1/organizations/${org}/quotas${path}`, { auth });
    const list = async () => {
      const res = await get('');
      assert.equal(res.status, 200, res.text);
      assertVendorShape('OrganizationQuota', res.body.result, { array: true });
      return res.body.result as any[];
    };
    const one = async (code: string) => {
      const res = await get(`/${code}`);
      assert.equal(res.status, 200, res.text);
      assertVendorShape('OrganizationQuota', res.body.result);
      return res.body.result;
    };
    const set = (...args: string[]) => cli('quotas', 'set', '--org', org, ...args);
    const addService = (...args: string[]) => {
      const res = cli('services', 'add', '--org', org, '--json', ...args);
      assert.equal(res.status, 0, res.stderr);
      return JSON.parse(res.stdout);
    };

    before(async () => {
      testDb = await createTestDatabase(backend);
      assert.equal(runCli(['migrate', '--database', testDb.url]).status, 0);
      const boot = runCli(['bootstrap', '--org-name', 'Quotas', '--json', '--database', testDb.url]);
      assert.equal(boot.status, 0, boot.stderr);
      const parsed = JSON.parse(boot.stdout);
      org = parsed.organizationId;
      admin = { keyId: parsed.keyId, keySecret: parsed.keySecret };
      serve = await startServe(['--database', testDb.url, '--rate-limit', 'off']);
    });
    after(async () => {
      await stopAllServers();
      await testDb?.drop();
    });

    it('a new organization has the three vendor quotas with their documented defaults, usage 0 where one is reported', async () => {
      const quotas = await list();
      assert.deepEqual(quotas.map((q) => q.quotaCode), CODES);
      assert.deepEqual(
        quotas.map((q) => [q.quotaCode, q.scope, q.value, q.usage, q.adjustable]),
        [
          ['services-per-organization', 'organization', 20, 0, true],
          ['postgres-services-per-organization', 'organization', 5, 0, true],
          ['replicas-per-warehouse', 'warehouse', 20, undefined, true],
        ],
      );
      assert.ok(!('usage' in quotas[2]), 'replicas-per-warehouse reports no usage');
      for (const q of quotas) {
        assert.ok(q.name.length > 0 && q.description.length > 0);
        assert.deepEqual(await one(q.quotaCode), q);
      }
    });

    it('usage counts the service records of each kind, and follows their removal', async () => {
      const a = addService('--name', 'a');
      addService('--name', 'b', '--state', 'stopped');
      const pg = addService('--name', 'pg', '--kind', 'postgres');
      const usage = async () => (await list()).map((q) => q.usage);
      assert.deepEqual(await usage(), [2, 1, undefined]);
      assert.equal((await one('postgres-services-per-organization')).usage, 1);
      assert.equal(cli('services', 'remove', '--org', org, '--id', a.id).status, 0);
      assert.equal(cli('services', 'remove', '--org', org, '--id', pg.id).status, 0);
      assert.deepEqual(await usage(), [1, 0, undefined]);
    });

    it('quotas set changes the value and adjustable; a value alone keeps adjustable as it was', async () => {
      let res = set('--code', 'services-per-organization', '--value', '50', '--adjustable', 'false');
      assert.equal(res.status, 0, res.stderr);
      assert.match(res.stdout, /services-per-organization/);
      let q = await one('services-per-organization');
      assert.deepEqual([q.value, q.adjustable], [50, false]);
      res = set('--code', 'services-per-organization', '--value', '0');
      assert.equal(res.status, 0, res.stderr);
      q = await one('services-per-organization');
      assert.deepEqual([q.value, q.adjustable], [0, false], 'usage may exceed the value: the quota is only reported');
      assert.equal(q.usage, 1);
      res = set('--code', 'replicas-per-warehouse', '--value', '3', '--json');
      assert.equal(res.status, 0, res.stderr);
      const printed = JSON.parse(res.stdout);
      assertVendorShape('OrganizationQuota', printed, { array: true });
      assert.deepEqual(printed, await list(), '--json prints the quotas as the API answers them');
      assert.equal((await one('replicas-per-warehouse')).value, 3);
    });

    it('--not-applicable omits the quota from the list and makes its GET a 404 in the envelope; a value makes it apply again', async () => {
      const before = await one('postgres-services-per-organization');
      assert.equal(set('--code', 'postgres-services-per-organization', '--not-applicable').status, 0);
      assert.deepEqual((await list()).map((q) => q.quotaCode), ['services-per-organization', 'replicas-per-warehouse']);
      assertError(await get('/postgres-services-per-organization'), 404, 'Quota not found');
      assert.equal(set('--code', 'postgres-services-per-organization', '--value', String(before.value)).status, 0);
      assert.deepEqual(await one('postgres-services-per-organization'), before, 'the value and adjustable it had are kept');
    });

    it('an unknown quota code is a 404 over HTTP (not a 400) and exit 1 in the CLI, nothing changed', async () => {
      for (const code of ['nope', 'SERVICES-PER-ORGANIZATION', 'services-per-warehouse']) assertError(await get(`/${code}`), 404, 'Quota not found');
      const before = await list();
      const res = set('--code', 'nope', '--value', '1');
      assert.equal(res.status, 1);
      assert.match(res.stderr, /Unknown quota code 'nope'.*services-per-organization/);
      assert.deepEqual(await list(), before);
    });

    it('refuses a value that is not a whole number from 0 (exit 1), and flags asking for nothing or both (exit 2), nothing changed', async () => {
      const before = await list();
      for (const value of ['-1', '1.5', 'abc', '', '2147483648', '1e3x']) {
        const res = set('--code', 'services-per-organization', '--value', value);
        assert.equal(res.status, 1, `${value}: ${res.stderr}`);
        assert.match(res.stderr, /Invalid field 'value'/);
      }
      let res = set('--code', 'services-per-organization');
      assert.equal(res.status, 2);
      assert.match(res.stderr, /--value N .*--not-applicable/);
      res = set('--code', 'services-per-organization', '--value', '3', '--not-applicable');
      assert.equal(res.status, 2);
      res = set('--code', 'services-per-organization', '--value', '3', '--adjustable', 'maybe');
      assert.equal(res.status, 2);
      res = cli('quotas', 'set', '--org', '00000000-0000-4000-8000-000000000000', '--code', 'services-per-organization', '--value', '3');
      assert.equal(res.status, 1);
      assert.match(res.stderr, /Organization not found/);
      assert.deepEqual(await list(), before);
    });

    it('reads need control-plane:organization:view, on the key\'s own organization', async () => {
      const api = new RoleApi(serve, org, admin);
      const none = await api.createKey({ name: 'no roles' });
      assertError(await get('', none), 403, 'control-plane:organization:view');
      assertError(await get('/services-per-organization', none), 403, 'control-plane:organization:view');
      const role = await api.create('quota viewers', [{ allowDeny: 'ALLOW', permissions: [VIEW], resources: ['*'] }]);
      const viewer = await api.keyWithRoles([role.id]);
      assert.equal((await get('', viewer)).status, 200);
      assert.equal((await get('/replicas-per-warehouse', viewer)).status, 200);
      assert.equal((await get('', null)).status, 401);
      assertError(await request(serve, 'GET', '/v1/organizations/00000000-0000-4000-8000-000000000000/quotas', { auth: admin }), 403);
      assertError(await request(serve, 'GET', '/v1/organizations/not-a-uuid/quotas/x', { auth: admin }), 400, 'organizationId');
    });

    it('`orgplane quota list|get` show what the API answers', async () => {
      const env = { ORGPLANE_URL: serve.url, ORGPLANE_KEY_ID: admin.keyId, ORGPLANE_KEY_SECRET: admin.keySecret };
      let res = await runCliAsync(['quota', 'list', '--json'], env);
      assert.equal(res.status, 0, res.stderr);
      assert.deepEqual(JSON.parse(res.stdout), await list());
      res = await runCliAsync(['quota', 'get', 'replicas-per-warehouse', '--json', '--org', org], env);
      assert.equal(res.status, 0, res.stderr);
      assert.deepEqual(JSON.parse(res.stdout), await one('replicas-per-warehouse'));
      res = await runCliAsync(['quota', 'list'], env);
      assert.equal(res.status, 0, res.stderr);
      for (const code of CODES) assert.ok(res.stdout.includes(code), res.stdout);
      res = await runCliAsync(['quota', 'get', 'nope'], env);
      assert.equal(res.status, 1);
      assert.match(res.stderr, /Quota not found \(HTTP 404/);
    });
  });
}
