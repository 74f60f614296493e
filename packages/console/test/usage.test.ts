import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { startOrgplane, type Orgplane } from 'orgplane/testing';
import { assertAccessible, consolePage, launchBrowser, screenshot, signIn, skipWithoutChromium } from './helpers/console-browser.js';

const ORGPLANE_BIN = fileURLToPath(new URL('../../server/bin/orgplane', import.meta.url));
const credentials = () => ({ keyId: randomBytes(10).toString('hex'), keySecret: randomBytes(21).toString('hex') });

const organizationId = randomUUID();
// Fixed service IDs: `usage generate` draws each service's amounts from its ID, so the chart and totals are the same on every run.
const analyticsId = '3f0c2a51-7d8e-4b19-a6c4-52e8d1f09b7a';
const admin = credentials();
const developer = credentials();
const keyReader = credentials();
const FROM = '2025-12-01';
const TO = '2025-12-31';
const BIG_DAY = '2025-11-15';

/**
 * Three ClickHouse services (one named as a spreadsheet formula, one with a comma and quotes, to
 * check the CSV), one Postgres service for the quotas, and two ClickPipe records seeded by hand
 * (`usage generate` writes services and warehouses only), so the chart stacks all three types.
 */
const fixture = {
  organizations: [
    {
      id: organizationId,
      name: 'Usage org',
      roles: [{ name: 'Key readers', policies: [{ allowDeny: 'ALLOW', permissions: ['control-plane:organization:view', 'control-plane:organization:view-api-keys'], resources: ['*'] }] }],
      keys: [
        { name: 'admin', ...admin, roles: ['admin'] },
        { name: 'developer', ...developer, roles: ['developer'] },
        { name: 'key reader', ...keyReader, assignedRoleIds: ['Key readers'] },
      ],
      services: [
        { id: analyticsId, name: 'analytics', tags: { env: 'prod' } },
        { id: '5b7e9c2d-4a1f-4e3b-8c6d-2f0a1b3c4d5e', name: 'ingest, "eu"', state: 'idle' },
        { id: '8d2f4a6b-1c3e-4f5a-9b7c-6e8d0a2b4c6f', name: '=SUM(1,2)', state: 'degraded' },
        { id: 'c4e6a8b0-2d4f-4a6c-8e0a-1b3d5f7a9c2e', name: 'pg-main', kind: 'postgres', version: '17' },
      ],
      usageRecords: [
        ...['2025-12-10', '2025-12-11'].map((date, i) => ({
          date,
          entityType: 'clickpipe',
          entityId: '7a3c1e52-0b4d-4e8f-9a61-2c5d8e7f1b30',
          entityName: 'orders pipe',
          dataWarehouseId: 'a8d41e6b-0c37-4f92-8b5d-e17f3c9a2046',
          serviceId: analyticsId,
          metrics: { computeCHC: `${40 + i}.123456`, dataTransferCHC: '0.5' },
        })),
        // A day whose total has more digits than a double keeps.
        ...Array.from({ length: 11 }, (_, i) => {
          const id = randomUUID();
          return { date: BIG_DAY, entityType: 'datawarehouse', entityId: id, entityName: `archive ${i + 1}`, dataWarehouseId: id, metrics: { storageCHC: i === 0 ? '999999999.999998' : '999999999.999999' } };
        }),
      ],
    },
  ],
};

interface RawUsage {
  grandTotalCHC: string;
  costs: { date: string; entityType: string; entityId: string; entityName: string; totalCHC: string; locked: boolean; metrics: Record<string, string> }[];
}

/**
 * The usage cost exactly as the API wrote it: each amount's own digits, taken from the body's text
 * (this Node's JSON.parse cannot give a number's source), matched to the parsed records in order.
 */
async function rawUsage(op: Orgplane, from: string, to: string, key = admin): Promise<RawUsage> {
  const response = await fetch(`${op.url}/v1/organizations/${organizationId}/usageCost?from_date=${from}&to_date=${to}`, {
    headers: { authorization: `Basic ${btoa(`${key.keyId}:${key.keySecret}`)}` },
  });
  assert.equal(response.status, 200);
  const text = await response.text();
  const parsed = JSON.parse(text) as { result: { costs: { metrics: Record<string, number> }[] } & Omit<RawUsage, 'costs'> };
  const recordTexts = text.split('{"dataWarehouseId"').slice(1);
  assert.equal(recordTexts.length, parsed.result.costs.length);
  return {
    grandTotalCHC: /"grandTotalCHC":([0-9.]+)/.exec(text)![1]!,
    costs: parsed.result.costs.map((record, i) => {
      const own = recordTexts[i]!;
      const metrics = Object.fromEntries(Object.keys(record.metrics).map((name) => [name, new RegExp(`"${name}":([0-9.]+)`).exec(own)![1]!]));
      return { ...(record as unknown as RawUsage['costs'][number]), metrics, totalCHC: /"totalCHC":([0-9.]+)/.exec(own)![1]! };
    }),
  };
}

async function showUsage(page: Page, from: string, to: string): Promise<void> {
  const form = page.getByRole('form', { name: 'Usage period' });
  await form.getByLabel('From').fill(from);
  await form.getByLabel('To').fill(to);
  await form.getByRole('button', { name: 'Show usage' }).click();
}

async function openUsage(page: Page, op: Orgplane, key: { keyId: string; keySecret: string }): Promise<void> {
  await signIn(page, op, key);
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Usage', exact: true }).click();
  await page.getByRole('heading', { name: 'Usage', level: 1 }).waitFor();
}

/** How many of the canvas's pixels have each colour (r,g,b), read from the drawn chart. */
async function chartColours(page: Page, colours: Record<string, [number, number, number]>): Promise<Record<string, number> & { painted: number }> {
  return page.locator('.usage-chart canvas').evaluate((canvas: HTMLCanvasElement, wanted) => {
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    const counts: Record<string, number> = Object.fromEntries(Object.keys(wanted).map((name) => [name, 0]));
    let painted = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] === 0) continue;
      painted++;
      for (const [name, [r, g, b]] of Object.entries(wanted)) if (data[i] === r && data[i + 1] === g && data[i + 2] === b) counts[name]!++;
    }
    return { ...counts, painted } as Record<string, number> & { painted: number };
  }, colours);
}

describe('console: usage', { skip: skipWithoutChromium }, () => {
  let op: Orgplane;
  let browser: Browser;
  let dir: string;
  let usage: RawUsage;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'console-usage-'));
    const database = `sqlite:${join(dir, 'orgplane.db')}`;
    op = await startOrgplane({ fixture, database, clock: '2026-01-01T00:00:00Z,frozen' });
    // The operator's command, on the server's own database, as the README shows it.
    const summary = JSON.parse(execFileSync(process.execPath, [ORGPLANE_BIN, 'usage', 'generate', '--org', organizationId, '--from', FROM, '--to', TO, '--database', database, '--json'], { encoding: 'utf8' }));
    assert.deepEqual(summary, { imported: 3 * 31 * 2, replaced: 0 });
    usage = await rawUsage(op, FROM, TO);
    assert.equal(usage.costs.length, 3 * 31 * 2 + 2);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await op?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('draws the generated usage stacked by entity type, lists every record and the Total as the API wrote them; quotas with usage bars', async () => {
    const page = await consolePage(browser, op);
    await openUsage(page, op, admin);
    await showUsage(page, FROM, TO);
    await page.getByRole('table', { name: `Usage records, ${FROM} to ${TO}` }).waitFor();

    const rows = await page.locator('table.usage-records tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())));
    assert.deepEqual(
      rows.map(([date, type, , , total, locked]) => [date, type, total, locked]),
      usage.costs.map((c) => [c.date, c.entityType, c.totalCHC, c.locked ? 'yes' : 'no']),
    );
    // Six decimal places are kept as written: no amount is rounded on its way to the page.
    assert.ok(usage.costs.some((c) => /\.\d{5,6}$/.test(c.totalCHC)));
    assert.equal(await page.locator('table.usage-records tfoot th').innerText(), 'Total');
    assert.equal(await page.locator('table.usage-records tfoot td.amount').innerText(), usage.grandTotalCHC);
    assert.equal(await page.locator('.usage-summary dt', { hasText: 'Total' }).locator('xpath=following-sibling::dd[1]').innerText(), `${usage.grandTotalCHC} CHC`);

    // The chart's canvas: drawn (not blank), with bars of each entity type's colour.
    await page.waitForFunction(() => {
      const canvas = document.querySelector<HTMLCanvasElement>('.usage-chart canvas');
      return canvas !== null && canvas.width > 0 && canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data.some((v, i) => i % 4 === 3 && v > 0);
    });
    const colours = await chartColours(page, { datawarehouse: [26, 86, 219], service: [14, 159, 110], clickpipe: [194, 120, 3] });
    assert.ok(colours.painted > 10_000, `painted pixels: ${colours.painted}`);
    for (const type of ['datawarehouse', 'service', 'clickpipe']) assert.ok(colours[type]! > 50, `${type} bars: ${colours[type]} pixels`);
    // Services cost more than their warehouses here (compute against storage): their bars take more of the canvas.
    assert.ok(colours.service! > colours.datawarehouse!, JSON.stringify(colours));
    assert.match((await page.locator('.usage-chart canvas').getAttribute('aria-label'))!, /from 2025-12-01 to 2025-12-31, stacked by entity type: Data warehouses, Services, ClickPipes/);

    const quotas = (await op.client.GET('/v1/organizations/{organizationId}/quotas', { params: { path: { organizationId } } })).data!.result;
    assert.deepEqual(
      quotas.map((q) => [q.quotaCode, q.usage, q.value]),
      [
        ['services-per-organization', 3, 20],
        ['postgres-services-per-organization', 1, 5],
        ['replicas-per-warehouse', undefined, 20],
      ],
    );
    for (const quota of quotas) {
      const row = page.getByRole('row').filter({ hasText: quota.name });
      if (quota.usage === undefined) {
        assert.match(await row.innerText(), /not reported/);
        continue;
      }
      const meter = row.getByRole('meter', { name: `${quota.name}: ${quota.usage} of ${quota.value}` });
      assert.deepEqual([await meter.getAttribute('value'), await meter.getAttribute('max')], [String(quota.usage), String(quota.value)]);
    }

    await assertAccessible(page, 'usage');
    await screenshot(page, 'console-usage');
    page.assertClean();
  });

  it('shows a Total with more digits than a double keeps exactly as the API wrote it', async () => {
    const page = await consolePage(browser, op);
    await openUsage(page, op, admin);
    await showUsage(page, BIG_DAY, BIG_DAY);
    await page.getByRole('table', { name: `Usage records, ${BIG_DAY} to ${BIG_DAY}` }).waitFor();
    const { grandTotalCHC } = await rawUsage(op, BIG_DAY, BIG_DAY);
    assert.equal(grandTotalCHC, '10999999999.999988');
    assert.notEqual(String(Number(grandTotalCHC)), grandTotalCHC, 'a number would have changed it');
    assert.equal(await page.locator('table.usage-records tfoot td.amount').innerText(), grandTotalCHC);
    assert.equal(await page.locator('.usage-summary strong').innerText(), grandTotalCHC);
    page.assertClean();
  });

  it('exports the records as CSV: every field and metric as the API wrote it, names kept as text', async () => {
    const page = await consolePage(browser, op);
    await openUsage(page, op, admin);
    await showUsage(page, FROM, TO);
    await page.getByRole('table', { name: `Usage records, ${FROM} to ${TO}` }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    assert.equal(download.suggestedFilename(), `usage-${FROM}-${TO}.csv`);
    const text = readFileSync((await download.path())!, 'utf8');
    const [header, ...records] = parse(text) as string[][];
    const metrics = ['storageCHC', 'backupCHC', 'computeCHC', 'dataTransferCHC', 'initialLoadCHC', 'publicDataTransferCHC', 'interRegionTier1DataTransferCHC', 'interRegionTier2DataTransferCHC', 'interRegionTier3DataTransferCHC', 'interRegionTier4DataTransferCHC'];
    assert.deepEqual(header, ['dataWarehouseId', 'serviceId', 'date', 'entityType', 'entityId', 'entityName', ...metrics, 'totalCHC', 'locked']);
    const api = (await op.client.GET('/v1/organizations/{organizationId}/usageCost', { params: { path: { organizationId }, query: { from_date: FROM, to_date: TO } } })).data!.result.costs;
    assert.deepEqual(
      records,
      usage.costs.map((c, i) => [
        api[i]!.dataWarehouseId,
        api[i]!.serviceId ?? '',
        c.date,
        c.entityType,
        c.entityId,
        // A name a spreadsheet would run as a formula is written as text.
        c.entityName.startsWith('=') ? `'${c.entityName}` : c.entityName,
        ...metrics.map((m) => c.metrics[m] ?? ''),
        c.totalCHC,
        String(c.locked),
      ]),
    );
    assert.ok(records.some((r) => r[5] === 'ingest, "eu"') && records.some((r) => r[5] === "'=SUM(1,2)"));
    assert.match(text, /"ingest, ""eu"""/);
    page.assertClean();
  });

  it('refuses a period of more than 31 days before asking the API, naming the limit', async () => {
    const page = await consolePage(browser, op);
    await openUsage(page, op, admin);
    const route = '/v1/organizations/{organizationId}/usageCost';
    // The default period's request has been answered.
    await page.waitForFunction(() => document.querySelector('p.loading') === null);
    const before = (await op.requests({ route })).length;
    await showUsage(page, FROM, '2026-01-01');
    assert.equal(await page.getByRole('alert').innerText(), 'The period is at most 31 days, as the API takes it: 2025-12-01 to 2026-01-01 is 32 days.');
    await showUsage(page, '2025-12-10', '2025-12-09');
    assert.equal(await page.getByRole('alert').innerText(), 'The To date must not be before the From date.');
    assert.equal((await op.requests({ route })).length, before, 'no request for a refused period');
    // The API draws the line at the same place.
    await assert.rejects(op.client.GET(route, { params: { path: { organizationId }, query: { from_date: FROM, to_date: '2026-01-01' } } }), { status: 400 });
    await showUsage(page, '2025-12-02', '2026-01-01');
    await page.getByRole('table', { name: 'Usage records, 2025-12-02 to 2026-01-01' }).waitFor();
    assert.equal(await page.getByRole('alert').count(), 0);
    page.assertClean();
  });

  it('a developer key (view-billing) sees the same usage and quotas, and the view has no mutating control', async () => {
    const page = await consolePage(browser, op);
    await openUsage(page, op, developer);
    await showUsage(page, FROM, TO);
    await page.getByRole('table', { name: `Usage records, ${FROM} to ${TO}` }).waitFor();
    assert.equal(await page.locator('table.usage-records tfoot td.amount').innerText(), (await rawUsage(op, FROM, TO, developer)).grandTotalCHC);
    assert.equal(await page.locator('table.usage-records tbody tr').count(), usage.costs.length);
    await page.getByRole('meter', { name: 'Services per organization: 3 of 20' }).waitFor();
    // Only reading and exporting: every button and field of the view is one of those.
    const controls = await page.locator('main').locator('button, input, select, textarea').evaluateAll((els) => els.map((el) => (el instanceof HTMLButtonElement ? el.textContent!.trim() : `${el.tagName.toLowerCase()}[type=${el.getAttribute('type')}]`)));
    assert.deepEqual(controls.sort(), ['Export CSV', 'Show usage', 'input[type=date]', 'input[type=date]']);
    page.assertClean();
  });

  it('a key whose roles lack view-billing is not sent for the usage cost, and sees the quotas', async () => {
    const page = await consolePage(browser, op);
    const route = '/v1/organizations/{organizationId}/usageCost';
    const before = (await op.requests({ route })).length;
    await openUsage(page, op, keyReader);
    await page.getByText("The usage cost is not shown: This key's roles do not grant control-plane:organization:view-billing.").waitFor();
    await page.getByRole('meter', { name: 'Services per organization: 3 of 20' }).waitFor();
    assert.equal((await op.requests({ route })).length, before);
    page.assertClean();
  });
});
