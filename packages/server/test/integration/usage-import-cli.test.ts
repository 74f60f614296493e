import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { addDays, utcDate } from '../../src/domain/date-range.js';
import { testBackends } from '../helpers/backends.js';
import { runCliAsync } from '../helpers/cli.js';
import { request, startTestServer, type TestServer } from '../helpers/server.js';
import { addServiceRecords } from '../helpers/service-records.js';
import { assertVendorShape } from '../helpers/vendor-schemas.js';

// `orgplane usage import FILE` and `orgplane usage generate` (operator
// commands on the database) and `orgplane usage get` (over HTTP). Spawns
// ./bin/orgplane: run `npm run build` first.

const SERVICE = '3f0c2a51-7d8e-4b19-a6c4-52e8d1f09b7a';
const WAREHOUSE = 'a8d41e6b-0c37-4f92-8b5d-e17f3c9a2046';
const PIPE = '5b2e9c70-41d3-4f6a-9e18-c7a0d2b3f415';
const today = () => utcDate(new Date());

const serviceRecord = (date: string, metrics: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  date,
  entityType: 'service',
  entityId: SERVICE,
  entityName: 'analytics',
  dataWarehouseId: WAREHOUSE,
  serviceId: SERVICE,
  metrics,
  ...extra,
});
const warehouseRecord = (date: string, metrics: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  date,
  entityType: 'datawarehouse',
  entityId: WAREHOUSE,
  entityName: 'analytics warehouse',
  dataWarehouseId: WAREHOUSE,
  serviceId: null,
  metrics,
  ...extra,
});
const jsonLines = (...records: unknown[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

for (const backend of testBackends()) {
  describe(`usage import and generate [${backend}]`, () => {
    let server: TestServer;
    let dir: string;
    let org: string;
    let fileNo = 0;
    const file = (text: string, extension = 'jsonl') => {
      const path = join(dir, `usage-${++fileNo}.${extension}`);
      writeFileSync(path, text);
      return path;
    };
    // Asynchronous, so that the server in this process goes on answering (and keeping its connections) meanwhile.
    const cli = (...args: string[]) => runCliAsync([...args, '--database', server.databaseUrl]);
    const stored = () => server.database.db.selectFrom('usage_records').selectAll().orderBy('date').orderBy('entity_id').execute();
    const usageCost = async (from: string, to: string, filter = '') => {
      const res = await request(server, 'GET', `/v1/organizations/${org}/usageCost?from_date=${from}&to_date=${to}${filter}`, { auth: server.admin });
      assert.equal(res.status, 200, res.text);
      assertVendorShape('UsageCost', res.body.result);
      return res.body.result;
    };

    before(async () => {
      server = await startTestServer({ backend });
      org = server.organizationId;
      dir = mkdtempSync(join(tmpdir(), 'orgplane-usage-'));
    });
    after(async () => {
      await server?.close();
      rmSync(dir, { recursive: true, force: true });
    });
    beforeEach(async () => {
      await server.database.db.deleteFrom('usage_records').execute();
      await server.database.db.deleteFrom('service_records').execute();
    });

    it('imports JSON lines: exact decimals (numbers or strings), derived totals, tags; --json prints the counts', async () => {
      const day = addDays(today(), -1);
      const res = await cli(
        'usage', 'import', file(jsonLines(
          serviceRecord(day, { computeCHC: 86.4125, publicDataTransferCHC: '1.250000' }, { tags: { env: 'prod' } }),
          warehouseRecord(day, { storageCHC: '12.372', backupCHC: 1 }),
          { date: day, entityType: 'clickpipe', entityId: PIPE.toUpperCase(), entityName: 'kafka in', dataWarehouseId: WAREHOUSE, serviceId: SERVICE, metrics: { dataTransferCHC: '0.000001', initialLoadCHC: 0 } },
        )),
        '--org', org.toUpperCase(), '--json',
      );
      assert.equal(res.status, 0, res.stderr);
      assert.deepEqual(JSON.parse(res.stdout), { imported: 3, replaced: 0 });
      const cost = await usageCost(day, day);
      assert.equal(cost.grandTotalCHC, 101.034501);
      assert.deepEqual(cost.costs.map((c: any) => [c.entityType, c.entityId, c.totalCHC]).sort(), [
        ['clickpipe', PIPE, 0.000001],
        ['datawarehouse', WAREHOUSE, 13.372],
        ['service', SERVICE, 87.6625],
      ].sort());
      const service = cost.costs.find((c: any) => c.entityType === 'service');
      assert.deepEqual(service, { dataWarehouseId: WAREHOUSE, serviceId: SERVICE, date: day, entityType: 'service', entityId: SERVICE, entityName: 'analytics', metrics: { computeCHC: 86.4125, publicDataTransferCHC: 1.25 }, totalCHC: 87.6625, locked: false });
      const rows = await stored();
      assert.deepEqual(JSON.parse(rows.find((r) => r.entity_id === SERVICE)!.metrics), { computeCHC: '86.4125', publicDataTransferCHC: '1.25' }, 'stored as exact decimal text');
      assert.deepEqual(JSON.parse(rows.find((r) => r.entity_id === SERVICE)!.tags), { env: 'prod' });
    });

    it('imports CSV with a header: metric columns, tag:KEY columns, quoted fields, an empty serviceId for a data warehouse', async () => {
      const day = addDays(today(), -1);
      const csv = [
        'date,entityType,entityId,entityName,dataWarehouseId,serviceId,computeCHC,storageCHC,tag:env,tag:team',
        `${day},service,${SERVICE},"analytics, prod",${WAREHOUSE},${SERVICE},10.5,,prod,data`,
        `${day},datawarehouse,${WAREHOUSE},"the ""warehouse""",${WAREHOUSE},,,0.25,,`,
        '',
      ].join('\r\n');
      const res = await cli('usage', 'import', file(csv, 'csv'), '--org', org);
      assert.equal(res.status, 0, res.stderr);
      assert.match(res.stdout, /Imported 2 usage records \(0 replaced\)/);
      const cost = await usageCost(day, day);
      assert.equal(cost.grandTotalCHC, 10.75);
      const [first, second] = cost.costs;
      assert.equal(first.entityId, SERVICE, 'ordered by entity ID within a day');
      assert.equal(first.entityName, 'analytics, prod');
      assert.deepEqual(first.metrics, { computeCHC: 10.5 });
      assert.equal(second.entityName, 'the "warehouse"');
      assert.equal(second.serviceId, null);
      assert.deepEqual(second.metrics, { storageCHC: 0.25 });
      const rows = await stored();
      assert.deepEqual(JSON.parse(rows.find((r) => r.entity_id === SERVICE)!.tags), { env: 'prod', team: 'data' });
      assert.deepEqual(JSON.parse(rows.find((r) => r.entity_id === WAREHOUSE)!.tags), {}, 'an empty tag cell is no tag');
      assert.equal((await usageCost(day, day, '&filter=tag:team=data')).costs.length, 1);
    });

    it('one invalid row refuses the whole file, naming its line and field, with nothing imported', async () => {
      const day = addDays(today(), -1);
      const good = jsonLines(serviceRecord(day, { computeCHC: 1 }), warehouseRecord(day, { storageCHC: 2 }));
      const other = (entityId: string, metrics: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
        ({ date: day, entityType: 'clickpipe', entityId, entityName: 'pipe', dataWarehouseId: WAREHOUSE, serviceId: SERVICE, metrics, ...extra });
      const cases: [string, unknown | string, RegExp][] = [
        ['a negative metric', other(PIPE, { computeCHC: -1 }), /line 3, field 'metrics\.computeCHC': must not be negative/],
        ['seven decimal places', other(PIPE, { computeCHC: '0.0000001' }), /line 3, field 'metrics\.computeCHC': must have at most 6 decimal places/],
        ['a number below a millionth', other(PIPE, { computeCHC: 1e-7 }), /line 3, field 'metrics\.computeCHC': must have at most 6 decimal places/],
        ['a metric that is not a number', other(PIPE, { computeCHC: 'lots' }), /line 3, field 'metrics\.computeCHC'/],
        ['an unknown metric', other(PIPE, { gpuCHC: 1 }), /line 3, field 'metrics\.gpuCHC': is not a usage metric/],
        ['totalCHC given', other(PIPE, { computeCHC: 1 }, { totalCHC: 1 }), /line 3, field 'totalCHC': is derived/],
        ['locked given', other(PIPE, { computeCHC: 1 }, { locked: false }), /line 3, field 'locked': is derived/],
        ['an unknown field', other(PIPE, { computeCHC: 1 }, { region: 'eu' }), /line 3, field 'region': is not a field/],
        ['a date that does not exist', other(PIPE, { computeCHC: 1 }, { date: '2026-02-29' }), /line 3, field 'date'/],
        ['a date-time', other(PIPE, { computeCHC: 1 }, { date: `${day}T00:00:00Z` }), /line 3, field 'date'/],
        ['an entity ID that is no UUID', other('pipe-1', { computeCHC: 1 }), /line 3, field 'entityId': must be a UUID/],
        ['an unknown entity type', other(PIPE, { computeCHC: 1 }, { entityType: 'cluster' }), /line 3, field 'entityType'/],
        ['a blank entity name', other(PIPE, { computeCHC: 1 }, { entityName: ' ' }), /line 3, field 'entityName'/],
        ['a missing dataWarehouseId', other(PIPE, { computeCHC: 1 }, { dataWarehouseId: undefined }), /line 3, field 'dataWarehouseId': is required/],
        ['a clickpipe without its service', other(PIPE, { computeCHC: 1 }, { serviceId: null }), /line 3, field 'serviceId': is required/],
        ['a tag value that is no string', other(PIPE, { computeCHC: 1 }, { tags: { env: 1 } }), /line 3, field 'tags\.env': must be a string/],
        ['a day and entity given twice', serviceRecord(day, { computeCHC: 3 }), /line 3: entity .* is given twice \(first at line 1\)/],
        ['a line that is not JSON', '{"date":', /line 3: not a JSON object/],
      ];
      for (const [what, line, expected] of cases) {
        const text = good + (typeof line === 'string' ? line : JSON.stringify(line)) + '\n' + jsonLines(other('6c1d8e2f-93a4-4b57-8c06-d1e2f3a4b5c6', { computeCHC: 1 }));
        const res = await cli('usage', 'import', file(text), '--org', org);
        assert.equal(res.status, 1, `${what}: ${res.stdout}${res.stderr}`);
        assert.match(res.stderr, expected, what);
        assert.deepEqual(await stored(), [], `${what}: nothing imported`);
      }
      const csvCases: [string, string, RegExp][] = [
        ['an unknown column', `date,entityType,entityId,entityName,dataWarehouseId,serviceId,gpuCHC\n${day},service,${SERVICE},a,${WAREHOUSE},${SERVICE},1\n`, /line 1, field 'gpuCHC'/],
        ['a totalCHC column', `date,entityType,entityId,entityName,dataWarehouseId,serviceId,totalCHC\n${day},service,${SERVICE},a,${WAREHOUSE},${SERVICE},1\n`, /line 1, field 'totalCHC': is derived/],
        [
          'a bad cell on line 3',
          `date,entityType,entityId,entityName,dataWarehouseId,serviceId,computeCHC\n${day},service,${SERVICE},a,${WAREHOUSE},${SERVICE},1\n${day},clickpipe,${PIPE},b,${WAREHOUSE},${SERVICE},1.1234567\n`,
          /line 3, field 'metrics\.computeCHC': must have at most 6 decimal places/,
        ],
        ['a row of the wrong length', `date,entityType,entityId,entityName,dataWarehouseId,serviceId,computeCHC\n${day},service,${SERVICE},a,${WAREHOUSE},${SERVICE},1,9\n`, /not valid CSV/],
      ];
      for (const [what, text, expected] of csvCases) {
        const res = await cli('usage', 'import', file(text, 'csv'), '--org', org);
        assert.equal(res.status, 1, `${what}: ${res.stdout}${res.stderr}`);
        assert.match(res.stderr, expected, what);
        assert.deepEqual(await stored(), [], `${what}: nothing imported`);
      }
      const unknownOrg = await cli('usage', 'import', file(good), '--org', '00000000-0000-4000-8000-000000000000');
      assert.equal(unknownOrg.status, 1);
      assert.match(unknownOrg.stderr, /Organization not found/);
      assert.equal((await cli('usage', 'import', join(dir, 'missing.jsonl'), '--org', org)).status, 1);
    });

    it('a re-import replaces an unlocked record and refuses, whole, to replace a locked one', async () => {
      const recent = addDays(today(), -2);
      const old = addDays(today(), -3);
      assert.equal((await cli('usage', 'import', file(jsonLines(serviceRecord(recent, { computeCHC: 1 }), serviceRecord(old, { computeCHC: 1 }))), '--org', org)).status, 0, 'a new record of a locked day is imported');
      const again = await cli('usage', 'import', file(jsonLines(serviceRecord(recent, { computeCHC: '2.5' }, { entityName: 'renamed' }))), '--org', org, '--json');
      assert.equal(again.status, 0, again.stderr);
      assert.deepEqual(JSON.parse(again.stdout), { imported: 1, replaced: 1 });
      const cost = await usageCost(old, recent);
      assert.deepEqual(cost.costs.map((c: any) => [c.date, c.entityName, c.totalCHC, c.locked]), [
        [old, 'analytics', 1, true],
        [recent, 'renamed', 2.5, false],
      ]);
      const before = await stored();
      const locked = await cli('usage', 'import', file(jsonLines(warehouseRecord(recent, { storageCHC: 9 }), serviceRecord(recent, { computeCHC: 7 }), serviceRecord(old, { computeCHC: 5 }))), '--org', org);
      assert.equal(locked.status, 1, locked.stdout);
      assert.match(locked.stderr, new RegExp(`line 3: the record of entity ${SERVICE} on ${old} is locked`));
      assert.deepEqual(await stored(), before, 'nothing of the file was imported');
    });

    it('generate writes two records per ClickHouse service and day, deterministic in the seed', async () => {
      const [tagged, idle] = await addServiceRecords(server, org, [
        { name: 'analytics', state: 'running', tags: { env: 'prod' } },
        { name: 'staging', state: 'stopped' },
        { name: 'pg', kind: 'postgres' },
      ]);
      const from = addDays(today(), -6);
      const to = addDays(today(), -2);
      const generate = (seed: string) => cli('usage', 'generate', '--org', org, '--from', from, '--to', to, '--seed', seed, '--json');
      const first = await generate('7');
      assert.equal(first.status, 0, first.stderr);
      assert.deepEqual(JSON.parse(first.stdout), { imported: 20, replaced: 0 });
      const records = await stored();
      assert.equal(records.length, 20, '2 ClickHouse services × 5 days × (service + data warehouse)');
      const cost = await usageCost(from, to);
      assert.equal(cost.costs.length, 20);
      for (const c of cost.costs) {
        if (c.entityType === 'service') {
          assert.ok([tagged, idle].includes(c.entityId));
          assert.equal(c.serviceId, c.entityId);
          assert.ok('computeCHC' in c.metrics);
        } else {
          assert.equal(c.entityType, 'datawarehouse');
          assert.equal(c.serviceId, null);
          assert.ok(c.metrics.storageCHC >= 1 && c.metrics.storageCHC <= 15);
        }
      }
      assert.ok(cost.costs.filter((c: any) => c.entityId === idle).every((c: any) => c.metrics.computeCHC === 0), 'a stopped service computes nothing');
      assert.ok(cost.costs.filter((c: any) => c.entityId === tagged).some((c: any) => c.metrics.computeCHC > 0));
      const prod = await usageCost(from, to, '&filter=tag:env=prod');
      assert.equal(prod.costs.length, 10, "the service's records by its service record's tags, its warehouse's by the tags they carry");

      await server.database.db.deleteFrom('usage_records').execute();
      assert.equal((await generate('7')).status, 0);
      assert.deepEqual(await stored(), records, 'the same seed gives the same records');
      await server.database.db.deleteFrom('usage_records').execute();
      assert.equal((await generate('8')).status, 0);
      const other = await stored();
      assert.deepEqual(other.map((r) => [r.date, r.entity_id]), records.map((r) => [r.date, r.entity_id]), 'the same entities and days');
      assert.notDeepEqual(other.map((r) => r.metrics), records.map((r) => r.metrics), 'another seed gives other values');

      const tooLong = await cli('usage', 'generate', '--org', org, '--from', '2026-01-01', '--to', '2026-02-01');
      assert.equal(tooLong.status, 1);
      assert.match(tooLong.stderr, /Invalid option '--to': --to must be at most 30 days after --from/);
      const badDate = await cli('usage', 'generate', '--org', org, '--from', '2026-02-30', '--to', '2026-03-01');
      assert.equal(badDate.status, 1);
      assert.match(badDate.stderr, /Invalid option '--from'/);
      assert.equal((await cli('usage', 'generate', '--org', org, '--from', from, '--to', to, '--seed', 'x')).status, 2, 'a seed that is no integer is a usage error');
    });

    it('usage get prints the usage cost over HTTP, with repeated --filter', async () => {
      const day = addDays(today(), -1);
      assert.equal((await cli('usage', 'import', file(jsonLines(serviceRecord(day, { computeCHC: '0.1' }, { tags: { env: 'prod', team: 'a' } }), warehouseRecord(day, { storageCHC: '0.2' }, { tags: { env: 'prod' } }))), '--org', org)).status, 0);
      const env = { ORGPLANE_URL: server.url, ORGPLANE_KEY_ID: server.admin.keyId, ORGPLANE_KEY_SECRET: server.admin.keySecret };
      const json = await runCliAsync(['usage', 'get', '--from-date', day, '--to-date', day, '--json'], env);
      assert.equal(json.status, 0, json.stderr);
      const cost = JSON.parse(json.stdout);
      assertVendorShape('UsageCost', cost);
      assert.equal(cost.grandTotalCHC, 0.3);
      const filtered = await runCliAsync(['usage', 'get', '--from-date', day, '--to-date', day, '--filter', 'tag:env=prod', '--filter', 'tag:team=a', '--json'], env);
      assert.equal(filtered.status, 0, filtered.stderr);
      assert.deepEqual(JSON.parse(filtered.stdout).costs.map((c: any) => c.entityId), [SERVICE]);
      const table = await runCliAsync(['usage', 'get', '--from-date', day, '--to-date', day], env);
      assert.equal(table.status, 0, table.stderr);
      assert.match(table.stdout, /grand total\s+0\.3/);
      const refused = await runCliAsync(['usage', 'get', '--from-date', day, '--to-date', 'soon'], env);
      assert.equal(refused.status, 1);
      assert.match(refused.stderr, /to_date/);
    });
  });
}
