import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { operations } from '@orgplane/client';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { startOrgplane, type JournalEntry, type Orgplane } from 'orgplane/testing';
import { activityLog } from './helpers/activity-log.js';
import { assertAccessible, consolePage, launchBrowser, screenshot, signIn, skipWithoutChromium } from './helpers/console-browser.js';

const credentials = () => ({ keyId: randomBytes(10).toString('hex'), keySecret: randomBytes(21).toString('hex') });
const organizationId = randomUUID();
const admin = credentials();
const developer = credentials();
const COUNT = 20_000;
/** A minute apart from here: the last of the 20,000 is at 2025-12-14T21:19:00.000Z. */
const START = '2025-12-01T00:00:00.000Z';

type Activity = operations['activityGetList']['responses'][200]['content']['application/json']['result'][number];

const fixture = {
  organizations: [
    {
      id: organizationId,
      name: 'Activity org',
      createdAt: START,
      keys: [
        { name: 'admin', ...admin, roles: ['admin'], createdAt: START },
        { name: 'developer', ...developer, roles: ['developer'], createdAt: START },
      ],
      activities: activityLog(organizationId, COUNT, START),
    },
  ],
};

async function listActivities(op: Orgplane, query: { from_date?: string; to_date?: string } = {}): Promise<Activity[]> {
  const { data } = await op.client.GET('/v1/organizations/{organizationId}/activities', { params: { path: { organizationId }, query } });
  return data!.result;
}

async function openActivity(page: Page, op: Orgplane, key: { keyId: string; keySecret: string } = admin): Promise<void> {
  await signIn(page, op, key);
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Activity', exact: true }).click();
  await page.getByRole('heading', { name: 'Activity', level: 1 }).waitFor();
}

/** Waits for the count line the view shows: "N activities" or "N of M activities" (numbers as 20,000). */
async function waitForCount(page: Page, shown: number, of?: number): Promise<void> {
  const n = (x: number) => x.toLocaleString('en');
  const text = of === undefined ? `${n(shown)} activities` : `${n(shown)} of ${n(of)} activities`;
  await page.getByRole('status').and(page.locator('.activity-count')).filter({ hasText: new RegExp(`^${text}$`) }).waitFor();
}

/** The drawn rows' cells: when, who, what, target. */
function drawnRows(page: Page): Promise<string[][]> {
  return page.locator('tr.activity-row').evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].slice(0, 4).map((td) => td.innerText.trim())));
}

/**
 * The newest activities request in the server's journal, once it is the one `query` matches (decoded):
 * the journal may record a request a moment after its answer reached the page.
 */
async function lastActivitiesQuery(op: Orgplane, query: RegExp): Promise<JournalEntry> {
  for (let attempt = 0; ; attempt++) {
    const newest = (await op.requests({ route: '/v1/organizations/{organizationId}/activities' }))[0];
    if (newest && query.test(decodeURIComponent(newest.path))) return newest;
    if (attempt === 20) assert.fail(`the newest activities request is ${newest?.path}, not ${query}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function actorLabel(a: Activity): string {
  return `${a.actorDetails ?? a.actorId} (${a.actorType})`;
}

describe('console: activity', { skip: skipWithoutChromium }, () => {
  let op: Orgplane;
  let browser: Browser;
  let all: Activity[];
  before(async () => {
    op = await startOrgplane({ fixture, clock: '2026-01-01T00:00:00Z,frozen' });
    all = await listActivities(op);
    assert.equal(all.length, COUNT);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await op?.stop();
  });

  it('scrolls 20,000 activities, newest first, from top to bottom with fewer than 500 rows in the DOM at any time', async (t) => {
    const page = await consolePage(browser, op);
    await openActivity(page, op);
    await waitForCount(page, COUNT);
    // The view's one request (after this test's own, in before()): the API streams the whole list in one response.
    await lastActivitiesQuery(op, /\/activities$/);
    assert.equal((await op.requests({ route: '/v1/organizations/{organizationId}/activities' })).length, 2);
    const first = (await drawnRows(page))[0]!;
    assert.deepEqual(first, [all[0]!.createdAt, actorLabel(all[0]!), `${all[0]!.type}${all[0]!.keyUpdateType ? ` (${all[0]!.keyUpdateType})` : ''}`, all[0]!.targetKeyId ? `API key ${all[0]!.targetKeyId}` : 'organization']);
    assert.equal(all[0]!.createdAt, '2025-12-14T21:19:00.000Z');

    // Every change to the table's rows is counted, not only those between samples.
    await page.evaluate(() => {
      const w = window as unknown as { maxRows: number };
      w.maxRows = document.querySelectorAll('tr.activity-row').length;
      new MutationObserver(() => {
        w.maxRows = Math.max(w.maxRows, document.querySelectorAll('tr.activity-row').length);
      }).observe(document.querySelector('.activity-table')!, { childList: true, subtree: true });
    });
    const scroller = page.getByRole('region', { name: 'Activity log' });
    const box = (await scroller.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 5; i++) await page.mouse.wheel(0, 2_000);
    const samples: { rows: number; top: number; firstIndex: number }[] = [];
    for (;;) {
      const sample = await scroller.evaluate(async (el) => {
        el.scrollTop += 6_000;
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
        const rows = el.querySelectorAll('tr.activity-row');
        return { rows: rows.length, top: el.scrollTop, end: el.scrollTop + el.clientHeight >= el.scrollHeight - 1, firstIndex: Number(rows[0]?.getAttribute('aria-rowindex')) };
      });
      samples.push(sample);
      if (sample.end) break;
    }
    assert.ok(samples.length > 100, `${samples.length} samples`);
    // The rows follow the scroll: the first drawn row moves down the list at every step.
    for (let i = 1; i < samples.length; i++) assert.ok(samples[i]!.firstIndex > samples[i - 1]!.firstIndex, `step ${i}: ${JSON.stringify(samples.slice(i - 1, i + 1))}`);
    const last = page.getByRole('row', { name: new RegExp(`create_organization`) });
    await last.waitFor();
    assert.equal(await last.getAttribute('aria-rowindex'), String(COUNT + 1));
    const lastBox = (await last.boundingBox())!;
    const viewport = (await scroller.boundingBox())!;
    assert.ok(lastBox.y >= viewport.y && lastBox.y + lastBox.height <= viewport.y + viewport.height + 1, `the last row is in view: ${JSON.stringify({ lastBox, viewport })}`);
    assert.deepEqual((await drawnRows(page)).at(-1), [START, 'orgplane seed (system)', 'create_organization', 'organization']);
    const maxRows = await page.evaluate(() => (window as unknown as { maxRows: number }).maxRows);
    assert.ok(maxRows > 10 && maxRows < 500, `at most ${maxRows} rows in the DOM`);
    assert.ok(Math.max(...samples.map((s) => s.rows)) < 500);
    t.diagnostic(`${samples.length} scroll steps; at most ${maxRows} rows in the DOM`);
    page.assertClean();
  });

  it('filters by date (date-only and date-time, sent as the API takes them), type and actor', async () => {
    const page = await consolePage(browser, op);
    await openActivity(page, op);
    await waitForCount(page, COUNT);
    const range = page.getByRole('form', { name: 'Date range' });

    await range.getByLabel('From date').fill('2025-12-05');
    await range.getByLabel('To date').fill('2025-12-05');
    await range.getByRole('button', { name: 'Apply dates' }).click();
    const day = await listActivities(op, { from_date: '2025-12-05', to_date: '2025-12-05' });
    assert.equal(day.length, 24 * 60);
    await waitForCount(page, day.length);
    assert.equal((await drawnRows(page))[0]![0], day[0]!.createdAt);
    await lastActivitiesQuery(op, /\?from_date=2025-12-05&to_date=2025-12-05$/);

    await range.getByLabel('From time (UTC)').fill('10:00:00');
    await range.getByLabel('To time (UTC)').fill('10:29:59');
    await range.getByRole('button', { name: 'Apply dates' }).click();
    const halfHour = await listActivities(op, { from_date: '2025-12-05T10:00:00Z', to_date: '2025-12-05T10:29:59Z' });
    assert.equal(halfHour.length, 30);
    await waitForCount(page, 30);
    // The rows in view (not all 30 fit) are the API's first ones, in its order.
    const drawn = (await drawnRows(page)).map((row) => row[0]);
    assert.ok(drawn.length >= 10);
    assert.deepEqual(drawn, halfHour.slice(0, drawn.length).map((a) => a.createdAt));
    await lastActivitiesQuery(op, /\?from_date=2025-12-05T10:00:00Z&to_date=2025-12-05T10:29:59Z$/);

    await page.getByLabel('Type').selectOption('key_delete');
    const deletes = halfHour.filter((a) => a.type === 'key_delete');
    assert.ok(deletes.length > 0);
    await waitForCount(page, deletes.length, 30);
    assert.deepEqual(
      (await drawnRows(page)).map((row) => [row[0], row[2]]),
      deletes.map((a) => [a.createdAt, 'key_delete']),
    );

    await range.getByRole('button', { name: 'Clear dates' }).click();
    await waitForCount(page, all.filter((a) => a.type === 'key_delete').length, COUNT);
    await page.getByLabel('Type').selectOption('');
    await page.getByLabel('Actor').selectOption({ label: 'API key "ci" (api)' });
    const byCi = all.filter((a) => a.actorDetails === 'API key "ci"');
    await waitForCount(page, byCi.length, COUNT);
    assert.deepEqual((await drawnRows(page))[0], [byCi[0]!.createdAt, 'API key "ci" (api)', `${byCi[0]!.type}${byCi[0]!.keyUpdateType ? ` (${byCi[0]!.keyUpdateType})` : ''}`, byCi[0]!.targetKeyId ? `API key ${byCi[0]!.targetKeyId}` : 'organization']);

    await range.getByLabel('From time (UTC)').fill('08:00:00');
    await range.getByRole('button', { name: 'Apply dates' }).click();
    assert.equal(await page.getByRole('alert').innerText(), 'The From time needs a From date.');

    // A range the API refuses: its message and requestId.
    await range.getByLabel('From time (UTC)').fill('');
    await range.getByLabel('From date').fill('2025-12-06');
    await range.getByLabel('To date').fill('2025-12-05');
    await range.getByRole('button', { name: 'Apply dates' }).click();
    await page.getByRole('alert').filter({ hasText: 'Request ID' }).waitFor();
    const refused = await lastActivitiesQuery(op, /\?from_date=2025-12-06&to_date=2025-12-05$/);
    assert.equal(refused.status, 400);
    assert.match(await page.getByRole('alert').innerText(), new RegExp(`^400: Invalid query parameter 'from_date': from_date must not be after to_date\\s+Request ID: ${refused.requestId}$`));
    page.assertClean();
  });

  it('shows every field of the selected activity in the details panel', async () => {
    const page = await consolePage(browser, op);
    await openActivity(page, op);
    await waitForCount(page, COUNT);
    const chosen = all[1]!;
    await page.getByRole('button', { name: `Details of ${chosen.type} at ${chosen.createdAt}` }).click();
    const panel = page.getByRole('complementary', { name: 'Activity details' });
    await panel.waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Activity details');
    const { data } = await op.client.GET('/v1/organizations/{organizationId}/activities/{activityId}', { params: { path: { organizationId, activityId: chosen.id } } });
    const shown = await panel.locator('dl').evaluate((dl) => [...dl.querySelectorAll('dt')].map((dt) => [dt.textContent, dt.nextElementSibling!.textContent]));
    assert.deepEqual(Object.fromEntries(shown), data!.result);
    assert.equal(shown.length, 10, 'id, createdAt, type, actor (4), organizationId, targetKeyId, keyUpdateType');
    assert.equal(await page.locator('tr.activity-row[aria-current="true"] time').innerText(), chosen.createdAt);
    await assertAccessible(page, 'activity');
    await screenshot(page, 'console-activity');
    await panel.getByRole('button', { name: 'Close details' }).click();
    await panel.waitFor({ state: 'detached' });
    page.assertClean();
  });

  it('exports the filtered range as JSON and CSV', async () => {
    const page = await consolePage(browser, op);
    await openActivity(page, op);
    await waitForCount(page, COUNT);
    const range = page.getByRole('form', { name: 'Date range' });
    await range.getByLabel('From date').fill('2025-12-02');
    await range.getByLabel('From time (UTC)').fill('06:00');
    await range.getByLabel('To date').fill('2025-12-03');
    await range.getByRole('button', { name: 'Apply dates' }).click();
    const inRange = await listActivities(op, { from_date: '2025-12-02T06:00:00Z', to_date: '2025-12-03' });
    await waitForCount(page, inRange.length);
    await page.getByLabel('Type').selectOption('openapi_key_update');
    const expected = inRange.filter((a) => a.type === 'openapi_key_update');
    await waitForCount(page, expected.length, inRange.length);

    const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()]);
    assert.equal(json.suggestedFilename(), 'activities-2025-12-02T06-00-00Z_to_2025-12-03.json');
    assert.deepEqual(JSON.parse(readFileSync((await json.path())!, 'utf8')), expected);

    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    assert.equal(csv.suggestedFilename(), 'activities-2025-12-02T06-00-00Z_to_2025-12-03.csv');
    const records = parse(readFileSync((await csv.path())!, 'utf8'), { columns: true }) as Record<string, string>[];
    const fields: (keyof Activity)[] = ['id', 'createdAt', 'type', 'actorType', 'actorId', 'actorDetails', 'actorIpAddress', 'userAgent', 'organizationId', 'serviceId', 'targetKeyId', 'keyUpdateType'];
    assert.deepEqual(Object.keys(records[0]!), fields);
    assert.deepEqual(
      records,
      expected.map((a) => Object.fromEntries(fields.map((f) => [f, a[f] ?? '']))),
    );
    page.assertClean();
  });

  it('a developer key reads the same log; the view has no mutating control', async () => {
    const page = await consolePage(browser, op);
    await openActivity(page, op, developer);
    await waitForCount(page, COUNT);
    assert.equal((await drawnRows(page))[0]![0], all[0]!.createdAt);
    const controls = await page
      .locator('main')
      .locator('button, input, select, textarea')
      .evaluateAll((els) => [...new Set(els.map((el) => (el instanceof HTMLButtonElement ? el.textContent!.replace(/ of .*/, '').trim() : `${el.tagName.toLowerCase()}:${el.getAttribute('aria-label') ?? el.closest('label')?.firstChild?.textContent?.trim()}`)))].sort());
    // Reading, filtering and exporting only.
    assert.deepEqual(controls, ['Apply dates', 'Clear dates', 'Details', 'Export CSV', 'Export JSON', 'input:From date', 'input:From time (UTC)', 'input:To date', 'input:To time (UTC)', 'select:Actor', 'select:Type']);
    page.assertClean();
  });
});
