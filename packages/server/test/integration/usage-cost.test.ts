import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { badRequest } from '../../src/domain/errors.js';
import { parseUsageRecord } from '../../src/domain/usage/usage-record.js';
import { importUsageRecords } from '../../src/domain/usage/usage.service.js';
import { testBackends } from '../helpers/backends.js';
import { runCliAsync } from '../helpers/cli.js';
import { allow, RoleApi, VIEW } from '../helpers/role-api.js';
import { request, startTestServer, type TestServer } from '../helpers/server.js';
import { addServiceRecords } from '../helpers/service-records.js';
import { assertVendorShape } from '../helpers/vendor-schemas.js';

// GET /v1/organizations/{id}/usageCost (usageCostGet): the period's bounds,
// tag filters, order, the locked flag on the server's clock, exact sums.

const VIEW_BILLING = 'control-plane:organization:view-billing';
const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

interface RecordSpec {
  date: string;
  entity: number;
  type?: 'service' | 'datawarehouse' | 'clickpipe';
  warehouse?: number;
  service?: number;
  metrics?: Record<string, unknown>;
  tags?: Record<string, string>;
}

/** A vendor record from a short spec: a data warehouse by default (its own warehouse, no service). */
function record({ date, entity, type = 'datawarehouse', warehouse, service, metrics = { storageCHC: '1' }, tags }: RecordSpec) {
  const warehouseId = uuid(type === 'datawarehouse' ? entity : (warehouse ?? 9999));
  const serviceId = type === 'datawarehouse' ? null : uuid(type === 'service' ? entity : (service ?? 8888));
  return { date, entityType: type, entityId: uuid(entity), entityName: `entity ${entity}`, dataWarehouseId: warehouseId, serviceId, metrics, ...(tags ? { tags } : {}) };
}

for (const backend of testBackends()) {
  describe(`usage cost [${backend}]`, () => {
    let server: TestServer;
    let org: string;
    const store = async (...specs: RecordSpec[]) => {
      const records = specs.map((spec, i) => ({
        where: `record ${i}`,
        row: parseUsageRecord(record(spec), org, (field, reason) => badRequest(`${field}: ${reason}`)),
      }));
      await importUsageRecords(server.domain, org, records);
    };
    const get = (query: string, auth = server.admin) => request(server, 'GET', `/v1/organizations/${org}/usageCost${query}`, { auth });
    const cost = async (query: string) => {
      const res = await get(query);
      assert.equal(res.status, 200, res.text);
      assertVendorShape('UsageCost', res.body.result);
      return res.body.result;
    };

    before(async () => {
      server = await startTestServer({ backend, controls: {} });
      org = server.organizationId;
    });
    after(() => server?.close());
    beforeEach(async () => {
      server.clock!.set(new Date('2030-06-15T12:00:00Z'), true);
      await server.database.db.deleteFrom('usage_records').execute();
      await server.database.db.deleteFrom('service_records').execute();
    });

    it('answers an empty period with a zero total and no records', async () => {
      assert.deepEqual(await cost('?from_date=2030-06-01&to_date=2030-06-15'), { grandTotalCHC: 0, costs: [] });
    });

    it('refuses each invalid period or filter with a 400 naming the parameter', async () => {
      const cases: [string, string][] = [
        ['', 'from_date'],
        ['?to_date=2030-06-01', 'from_date'],
        ['?from_date=2030-06-01', 'to_date'],
        ['?from_date=2030-6-1&to_date=2030-06-02', 'from_date'],
        ['?from_date=2030-02-29&to_date=2030-03-01', 'from_date'],
        ['?from_date=2030-06-01&to_date=2030-06-31', 'to_date'],
        ['?from_date=2030-06-01T00:00:00Z&to_date=2030-06-02', 'from_date'],
        ['?from_date=&to_date=2030-06-02', 'from_date'],
        ['?from_date=2030-06-02&to_date=2030-06-01', 'to_date'],
        ['?from_date=2030-06-01&to_date=2030-07-02', 'to_date'],
        ['?from_date=2030-01-31&to_date=2030-03-03', 'to_date'],
        ['?from_date=2030-06-01&to_date=2030-06-02&filter=env=prod', 'filter'],
        ['?from_date=2030-06-01&to_date=2030-06-02&filter=tag:env', 'filter'],
        ['?from_date=2030-06-01&to_date=2030-06-02&filter=tag:=prod', 'filter'],
        ['?from_date=2030-06-01&to_date=2030-06-02&filter=tag:env=prod&filter=team', 'filter'],
        ['?from_date=2030-06-01&to_date=2030-06-02&region=eu', 'region'],
      ];
      for (const [query, parameter] of cases) {
        const res = await get(query);
        assert.equal(res.status, 400, `${query}: ${res.text}`);
        assert.match(res.body.error, new RegExp(`query parameter '${parameter}'`), query);
      }
      assert.equal((await server.database.db.selectFrom('usage_records').selectAll().execute()).length, 0);
    });

    it('takes 31 days at most, both ends included, over month and year ends', async () => {
      await store({ date: '2029-12-31', entity: 1 }, { date: '2030-01-30', entity: 1 }, { date: '2030-01-31', entity: 1 });
      const result = await cost('?from_date=2029-12-31&to_date=2030-01-30');
      assert.deepEqual(result.costs.map((c: any) => c.date), ['2029-12-31', '2030-01-30']);
      assert.equal((await get('?from_date=2029-12-31&to_date=2030-01-31')).status, 400);
      assert.equal((await cost('?from_date=2030-01-31&to_date=2030-01-31')).costs.length, 1, 'a one-day period');
      assert.equal((await cost('?from_date=2030-02-01&to_date=2030-03-03')).costs.length, 0, 'February: 31 days to 3 March');
    });

    it('orders records by date, then entity ID, whatever the order they were stored in, and sums them', async () => {
      await store(
        { date: '2030-06-10', entity: 3, metrics: { storageCHC: '0.5', backupCHC: '0.25' } },
        { date: '2030-06-09', entity: 2, type: 'service', warehouse: 3, metrics: { computeCHC: 2, publicDataTransferCHC: '0.000001' } },
        { date: '2030-06-10', entity: 1, type: 'clickpipe', warehouse: 3, service: 2, metrics: {} },
        { date: '2030-06-09', entity: 3 },
        { date: '2030-06-11', entity: 2, type: 'service', warehouse: 3 , metrics: { computeCHC: 1 } },
      );
      const result = await cost('?from_date=2030-06-09&to_date=2030-06-10');
      assert.deepEqual(result.costs.map((c: any) => [c.date, c.entityId]), [
        ['2030-06-09', uuid(2)],
        ['2030-06-09', uuid(3)],
        ['2030-06-10', uuid(1)],
        ['2030-06-10', uuid(3)],
      ]);
      assert.deepEqual(result.costs.map((c: any) => c.totalCHC), [2.000001, 1, 0, 0.75]);
      assert.deepEqual(result.costs[2].metrics, {}, 'only the metrics a record has');
      assert.deepEqual(result.costs[0].metrics, { computeCHC: 2, publicDataTransferCHC: 0.000001 });
      assert.equal(result.grandTotalCHC, 3.750001);
    });

    it("filters by tags: the record's own, its service record's, its data warehouse's service record's; several are ANDed", async () => {
      await addServiceRecords(server, org, [
        { id: uuid(2), name: 'analytics', tags: { env: 'prod', team: 'data' } },
        { id: uuid(3), name: 'warehouse primary', tags: { costCenter: 'a=1 b' } },
      ]);
      await store(
        { date: '2030-06-10', entity: 2, type: 'service', warehouse: 3 },
        { date: '2030-06-10', entity: 3, tags: { env: 'staging' } },
        { date: '2030-06-10', entity: 4, type: 'clickpipe', warehouse: 5, service: 2 },
        { date: '2030-06-10', entity: 5, tags: { env: 'prod', team: 'ops' } },
        { date: '2030-06-10', entity: 6, type: 'service', warehouse: 5, tags: { team: 'data' } },
      );
      const ids = async (filters: string[]) =>
        (await cost(`?from_date=2030-06-10&to_date=2030-06-10${filters.map((f) => `&filter=${encodeURIComponent(f)}`).join('')}`)).costs.map((c: any) => c.entityId);
      assert.deepEqual(await ids(['tag:env=prod']), [uuid(2), uuid(4), uuid(5)], 'own tags, or through serviceId');
      assert.deepEqual(await ids(['tag:env=staging']), [uuid(3)]);
      assert.deepEqual(await ids(['tag:costCenter=a=1 b']), [uuid(2), uuid(3)], 'through dataWarehouseId (and the value keeps its = and space)');
      assert.deepEqual(await ids(['tag:env=prod', 'tag:team=data']), [uuid(2), uuid(4)], 'ANDed');
      assert.deepEqual(await ids(['tag:team=data']), [uuid(2), uuid(4), uuid(6)]);
      assert.deepEqual(await ids(['tag:env=Prod']), [], 'values match exactly');
      assert.deepEqual(await ids(['tag:nothing=']), []);
      const filtered = await cost('?from_date=2030-06-10&to_date=2030-06-10&filter=tag%3Aenv%3Dprod');
      assert.equal(filtered.grandTotalCHC, 3, 'the grand total is of the records answered');
    });

    it('marks records more than 2 days before today (server clock, UTC) locked, moving with the clock', async () => {
      await store({ date: '2030-06-12', entity: 1 }, { date: '2030-06-13', entity: 1 }, { date: '2030-06-15', entity: 1 });
      const locked = async () => (await cost('?from_date=2030-06-01&to_date=2030-06-20')).costs.map((c: any) => [c.date, c.locked]);
      assert.deepEqual(await locked(), [['2030-06-12', true], ['2030-06-13', false], ['2030-06-15', false]]);
      server.clock!.set(new Date('2030-06-15T23:59:59.999Z'), true);
      assert.deepEqual(await locked(), [['2030-06-12', true], ['2030-06-13', false], ['2030-06-15', false]], 'the same UTC day');
      server.clock!.advance(1);
      assert.deepEqual(await locked(), [['2030-06-12', true], ['2030-06-13', true], ['2030-06-15', false]], 'a day later');
      server.clock!.set(new Date('2030-06-10T00:00:00Z'), true);
      assert.deepEqual(await locked(), [['2030-06-12', false], ['2030-06-13', false], ['2030-06-15', false]], 'back in time');
      server.clock!.set(new Date('2030-06-25T00:00:00Z'), true);
      assert.deepEqual(await locked(), [['2030-06-12', true], ['2030-06-13', true], ['2030-06-15', true]]);
    });

    it('needs control-plane:organization:view-billing', async () => {
      await store({ date: '2030-06-10', entity: 1 });
      const roles = new RoleApi(server, org, server.admin);
      const viewer = await roles.keyWithRoles([(await roles.create('viewer', [allow([VIEW])])).id]);
      const denied = await get('?from_date=2030-06-10&to_date=2030-06-10', viewer);
      assert.equal(denied.status, 403, denied.text);
      assert.match(denied.body.error, /view-billing/);
      const billing = await roles.keyWithRoles([(await roles.create('billing reader', [allow([VIEW, VIEW_BILLING])])).id]);
      const res = await get('?from_date=2030-06-10&to_date=2030-06-10', billing);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.result.costs.length, 1);
    });

    it('is journaled and takes fault rules like every route (emulator controls)', async () => {
      await store({ date: '2030-06-10', entity: 1 });
      const route = '/v1/organizations/{organizationId}/usageCost';
      const faults = await request(server, 'POST', '/_orgplane/faults', { body: { rules: [{ method: 'GET', route, status: 503, times: 1 }] } });
      assert.equal(faults.status, 200, faults.text);
      const query = '?from_date=2030-06-10&to_date=2030-06-10&filter=tag:a=b';
      assert.equal((await get(query)).status, 503);
      assert.equal((await get(query)).status, 200, 'the rule fired once');
      const journal = await request(server, 'GET', '/_orgplane/requests?limit=2');
      assert.deepEqual(journal.body.result.map((e: any) => [e.route, e.path, e.status]), [
        [route, `/v1/organizations/${org}/usageCost${query}`, 200],
        [route, `/v1/organizations/${org}/usageCost${query}`, 503],
      ]);
      assert.equal((await request(server, 'DELETE', '/_orgplane/faults')).status, 200);
    });

    it('sums 100,000 records of 0.1 imported by the CLI to exactly 10000', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'orgplane-usage-'));
      try {
        const lines: string[] = [];
        for (let day = 0; day < 25; day++) {
          const date = `2030-05-${String(day + 1).padStart(2, '0')}`;
          for (let e = 0; e < 4000; e++) {
            // Numbers and decimal strings alike.
            lines.push(JSON.stringify(record({ date, entity: e + 1, metrics: { storageCHC: e % 2 === 0 ? 0.1 : '0.1' } })));
          }
        }
        const file = join(dir, 'usage.jsonl');
        writeFileSync(file, lines.join('\n'));
        const res = await runCliAsync(['usage', 'import', file, '--org', org, '--database', server.databaseUrl, '--json']);
        assert.equal(res.status, 0, res.stderr);
        assert.deepEqual(JSON.parse(res.stdout), { imported: 100_000, replaced: 0 });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const response = await get('?from_date=2030-05-01&to_date=2030-05-31');
      assert.equal(response.status, 200);
      assert.match(response.text, /"grandTotalCHC":10000,/, 'exactly 10000 in the JSON text');
      const result = response.body.result;
      assert.equal(result.grandTotalCHC, 10000);
      assert.equal(result.costs.length, 100_000);
      assert.ok(result.costs.every((c: any) => c.totalCHC === 0.1));
      assertVendorShape('UsageCost', { ...result, costs: result.costs.slice(0, 100) });
      // What a float sum would have given instead.
      assert.notEqual(result.costs.reduce((sum: number, c: any) => sum + c.totalCHC, 0), 10000);
    });
  });
}
