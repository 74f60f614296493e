import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { systemActor } from '../../src/domain/actor.js';
import { renderServiceInfo } from '../../src/domain/services/prometheus.js';
import { normaliseServiceRecord } from '../../src/domain/services/service-record.js';
import { addServiceRecord, removeServiceRecord } from '../../src/domain/services/service.service.js';
import { testBackends } from '../helpers/backends.js';
import { runCliAsync } from '../helpers/cli.js';
import { controlsSuite, setFaults } from '../helpers/controls.js';
import { assertError, RoleApi, VIEW } from '../helpers/role-api.js';
import { request, startTestServer, type Credentials, type TestServer } from '../helpers/server.js';

// GET …/prometheus (organizationPrometheusGet): the text exposition format,
// read back with a real Prometheus text-format parser from npm, one
// ClickHouse_ServiceInfo sample per service record; errors stay JSON envelopes.

const operator = { actor: systemActor('services add') };

describe('Prometheus rendering', () => {
  it('escapes backslashes, double quotes and line feeds in label values so that a parser reads them back', () => {
    const nasty = normaliseServiceRecord({ name: 'x', version: '25.8' }, '2026-01-01T00:00:00.000Z');
    // The domain refuses control characters in names, so a line feed is put in past it to check the escaping itself.
    const record = { ...nasty, name: 'a "quoted" \\ back\nslash' };
    const text = renderServiceInfo('org-1', [record]);
    assert.ok(text.includes('clickhouse_service_name="a \\"quoted\\" \\\\ back\\nslash"'), text);
    const [family] = parsePrometheusTextFormat(text);
    assert.equal(family!.metrics[0]!.labels!.clickhouse_service_name, record.name);
  });
});

for (const backend of testBackends()) {
  describe(`Prometheus endpoint [${backend}]`, () => {
    let server: TestServer;
    let path: string;
    const get = (query = '', auth: Credentials | null = server.admin) => request(server, 'GET', `${path}${query}`, { auth });

    before(async () => {
      server = await startTestServer({ backend });
      path = `/v1/organizations/${server.organizationId}/prometheus`;
    });
    after(() => server.close());

    it('answers text/plain; version=0.0.4 with the gauge declared and no samples when the organization has no service records', async () => {
      const res = await get();
      assert.equal(res.status, 200, res.text);
      assert.match(res.headers.get('content-type')!, /^text\/plain; version=0\.0\.4(;|$)/);
      const families = parsePrometheusTextFormat(res.text);
      assert.deepEqual(families.flatMap((f) => f.metrics), []);
      assert.ok(res.text.includes('# TYPE ClickHouse_ServiceInfo gauge\n'), res.text);
    });

    it('has one ClickHouse_ServiceInfo sample of value 1 per service record of either kind, labelled as the vendor labels it', async () => {
      const records = [
        await addServiceRecord(server.domain, server.organizationId, { name: 'analytics "prod" \\ eu', tags: [['env', 'prod']] }, operator),
        await addServiceRecord(server.domain, server.organizationId, { name: 'pg', kind: 'postgres', state: 'idle', version: '17.2' }, operator),
        await addServiceRecord(server.domain, server.organizationId, { name: 'Überwachung 📈', state: 'degraded', version: '25.6.2.5983' }, operator),
      ];
      try {
        for (const query of ['', '?filtered_metrics=true', '?filtered_metrics=false']) {
          const res = await get(query);
          assert.equal(res.status, 200, res.text);
          const families = parsePrometheusTextFormat(res.text);
          assert.equal(families.length, 1);
          const [family] = families;
          assert.equal(family!.name, 'ClickHouse_ServiceInfo');
          assert.equal(family!.type, 'GAUGE');
          assert.ok(family!.help.length > 0);
          assert.deepEqual(
            family!.metrics,
            records.map((r) => ({
              value: '1',
              labels: {
                clickhouse_org: server.organizationId,
                clickhouse_service: r.id,
                clickhouse_service_name: r.name,
                clickhouse_cluster_status: r.state,
                clickhouse_version: r.version,
              },
            })),
          );
        }
        // Another organization's endpoint has none of them.
        const other = await server.bootstrap('Other');
        const res = await request(server, 'GET', `/v1/organizations/${other.organizationId}/prometheus`, { auth: other });
        assert.equal(res.status, 200, res.text);
        assert.deepEqual(parsePrometheusTextFormat(res.text).flatMap((f) => f.metrics), []);
      } finally {
        for (const r of records) await removeServiceRecord(server.domain, server.organizationId, r.id, operator);
      }
      assert.deepEqual(parsePrometheusTextFormat((await get()).text).flatMap((f) => f.metrics), [], 'a removed record is no longer reported');
    });

    it('refuses a filtered_metrics other than true or false with a 400 JSON envelope naming it', async () => {
      for (const value of ['yes', 'TRUE', '1', '']) {
        const res = await get(`?filtered_metrics=${value}`);
        assertError(res, 400, /filtered_metrics/);
        assert.match(res.headers.get('content-type')!, /^application\/json/);
        assert.equal(res.body.status, 400);
        assert.match(res.body.requestId, /^[0-9a-f-]{36}$/);
      }
      assertError(await get('?filtered=true'), 400, /filtered/);
    });

    it('needs control-plane:organization:view, and the organization of the key', async () => {
      const api = new RoleApi(server, server.organizationId, server.admin);
      const none = await api.createKey({ name: 'no roles' });
      assertError(await get('', none), 403, /control-plane:organization:view/);
      const viewer = await api.keyWithRoles([(await api.create('metrics viewers', [{ allowDeny: 'ALLOW', permissions: [VIEW], resources: ['*'] }])).id]);
      assert.equal((await get('', viewer)).status, 200);
      assert.equal((await get('', null)).status, 401);
      const other = await server.bootstrap('Elsewhere');
      assertError(await request(server, 'GET', path, { auth: other }), 403);
    });

    it('`orgplane prometheus` prints the body as the server sends it', async () => {
      const record = await addServiceRecord(server.domain, server.organizationId, { name: 'cli-visible' }, operator);
      try {
        const env = { ORGPLANE_URL: server.url, ORGPLANE_KEY_ID: server.admin.keyId, ORGPLANE_KEY_SECRET: server.admin.keySecret };
        const res = await runCliAsync(['prometheus', '--org', server.organizationId, '--filtered-metrics', 'true'], env);
        assert.equal(res.status, 0, res.stderr);
        assert.equal(res.stdout, (await get('?filtered_metrics=true')).text);
        const [family] = parsePrometheusTextFormat(res.stdout);
        assert.equal(family!.metrics[0]!.labels!.clickhouse_service, record.id);
        // Without --org, the key's own organization.
        assert.equal((await runCliAsync(['prometheus'], env)).stdout, res.stdout);
      } finally {
        await removeServiceRecord(server.domain, server.organizationId, record.id, operator);
      }
    });
  });
}

describe('Prometheus endpoint and the emulator controls', () => {
  const suite = controlsSuite();
  const ROUTE = '/v1/organizations/{organizationId}/prometheus';

  it('the request journal records it under its route, and a fault rule on that route answers instead (a JSON envelope)', async () => {
    const { server, orgPath } = suite;
    const ok = await request(server, 'GET', `${orgPath}/prometheus?filtered_metrics=true`, { auth: server.admin });
    assert.equal(ok.status, 200, ok.text);
    assert.equal((await setFaults(server, { rules: [{ route: ROUTE, status: 503, times: 1 }] })).status, 200);
    const faulted = await request(server, 'GET', `${orgPath}/prometheus`, { auth: server.admin });
    assertError(faulted, 503);
    assert.equal((await request(server, 'GET', `${orgPath}/quotas`, { auth: server.admin })).status, 200, 'other routes are not faulted');
    const again = await request(server, 'GET', `${orgPath}/prometheus`, { auth: server.admin });
    assert.equal(again.status, 200, 'the rule fired once');
    const entries = ((await request(server, 'GET', '/_orgplane/requests')).body.result as any[]).filter((e) => e.route === ROUTE);
    assert.deepEqual(
      entries.map((e) => [e.path, e.status, e.fault === undefined]).sort(),
      [
        [`${orgPath}/prometheus`, 200, true],
        [`${orgPath}/prometheus`, 503, false],
        [`${orgPath}/prometheus?filtered_metrics=true`, 200, true],
      ].sort(),
    );
  });
});
