import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, beforeEach, describe, it } from 'node:test';
import { OrgplaneApiError } from '@orgplane/client';
import type { Browser, Page } from 'playwright-core';
import { startOrgplane, type Orgplane } from 'orgplane/testing';
import { startServe, type ServeProcess } from '../../server/test/helpers/cli.js';
import { assertAccessible, consolePage, launchBrowser, screenshot, signIn, skipWithoutChromium } from './helpers/console-browser.js';

const ADMIN = { keyId: 'emuAdminKey000000001', keySecret: 'emuAdminSecret'.padEnd(42, 'a') };
const DEVELOPER = { keyId: 'emuDeveloperKey00002', keySecret: 'emuDeveloperSecret'.padEnd(42, 'd') };
const FIXTURE = {
  organizations: [
    {
      name: 'Emulator fixture org',
      keys: [
        { name: 'fixture admin', ...ADMIN, roles: ['admin'] },
        { name: 'fixture developer', ...DEVELOPER, roles: ['developer'] },
      ],
    },
  ],
};

/** The message the API gives for a call, to compare with what the console shows. */
async function apiMessage(call: Promise<unknown>): Promise<{ status: number; message: string }> {
  const err = await call.then(
    () => assert.fail('the call was expected to fail'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof OrgplaneApiError, String(err));
  return { status: err.status, message: err.message };
}

async function openEmulator(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Emulator' }).click();
  await page.getByRole('heading', { name: 'Emulator', level: 1 }).waitFor();
  await page.getByRole('heading', { name: 'Clock' }).waitFor();
}

/** The rows of a table as the cells' text. */
async function rows(page: Page, table: string): Promise<string[][]> {
  return page.getByRole('table', { name: table }).locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
}

describe('console: the Emulator view (serve --controls)', { skip: skipWithoutChromium }, () => {
  let op: Orgplane;
  let browser: Browser;
  const org = () => ({ params: { path: { organizationId: op.organizationId } } });
  before(async () => {
    op = await startOrgplane({ fixture: FIXTURE, clock: '2026-01-01T00:00:00Z,frozen' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await op?.stop();
  });
  beforeEach(async () => {
    await op.controls.POST('/_orgplane/reset');
  });

  it('is marked test-only; the snapshot downloads the state as JSON; reset asks first, then returns to the fixture', async () => {
    await op.client.PATCH('/v1/organizations/{organizationId}', { ...org(), body: { name: 'Changed before the reset' } });
    await op.client.POST('/v1/organizations/{organizationId}/keys', { ...org(), body: { name: 'made before the reset', roles: ['developer'] } });
    const page = await consolePage(browser, op);
    await signIn(page, op);
    await openEmulator(page);
    assert.equal(new URL(page.url()).pathname, '/console/emulator');
    assert.match(await page.getByRole('note').innerText(), /^Emulator controls: test-only, not part of the vendor's API\./);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download snapshot' }).click()]);
    assert.match(download.suggestedFilename(), /^orgplane-snapshot-.*\.json$/);
    const snapshot = JSON.parse(await readFile((await download.path())!, 'utf8'));
    assert.equal(snapshot.organizations[0].id, op.organizationId);
    assert.equal(snapshot.organizations[0].name, 'Changed before the reset');
    assert.ok(snapshot.organizations[0].keys.some((k: { name: string }) => k.name === 'made before the reset'));
    assert.deepEqual(snapshot, (await op.controls.GET('/_orgplane/snapshot')).data!.result);

    await page.getByRole('button', { name: 'Reset' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reset the emulator?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    const kept = (await op.client.GET('/v1/organizations/{organizationId}', org())).data!.result;
    assert.equal(kept.name, 'Changed before the reset', 'Cancel resets nothing');

    await page.getByRole('button', { name: 'Reset' }).click();
    await dialog.getByRole('button', { name: 'Reset' }).click();
    await page.getByRole('status').filter({ hasText: 'Reset:' }).waitFor();
    assert.match(await page.getByRole('status').innerText(), /^Reset: the server's fixture is back \(1 organization, 2 keys, .*\)\.$/);
    const back = (await op.client.GET('/v1/organizations/{organizationId}', org())).data!.result;
    assert.equal(back.name, 'Emulator fixture org');
    const keys = (await op.client.GET('/v1/organizations/{organizationId}/keys', org())).data!.result;
    assert.deepEqual(keys.map((k) => k.name).sort(), ['fixture admin', 'fixture developer']);
    // The signed-in key is the fixture's: it survives, so no 401 is shown.
    assert.equal(await page.getByRole('alert').count(), 0);
    page.assertClean();
  });

  it('a reset that removes the signed-in key: its next call shows the API 401', async () => {
    const created = (await op.client.POST('/v1/organizations/{organizationId}/keys', { ...org(), body: { name: 'gone with the reset', roles: ['admin'] } })).data!.result;
    const page = await consolePage(browser, op);
    await signIn(page, op, { keyId: created.keyId!, keySecret: created.keySecret! });
    await openEmulator(page);
    await page.getByRole('button', { name: 'Reset' }).click();
    await page.getByRole('dialog', { name: 'Reset the emulator?' }).getByRole('button', { name: 'Reset' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const entry = (await op.requests({ route: '/v1/organizations' }))[0]!;
    assert.equal(entry.status, 401);
    assert.match(await alert.innerText(), new RegExp(`^401: .*Request ID: ${entry.requestId}`, 's'));
    await page.getByText('answers no more after the reset').waitFor();
    page.assertClean();
  });

  it('the clock: shown, set frozen, advanced, refused with the API message, back to real time', async () => {
    const page = await consolePage(browser, op);
    await signIn(page, op);
    await openEmulator(page);
    await page.getByText('Now: 2026-01-01T00:00:00.000Z frozen').waitFor();

    await page.getByLabel('Time (RFC 3339)').fill('2026-03-01T12:00:00Z');
    await page.getByRole('button', { name: 'Set clock' }).click();
    await page.getByText('Now: 2026-03-01T12:00:00.000Z frozen').waitFor();
    assert.deepEqual((await op.controls.GET('/_orgplane/clock')).data!.result, { now: '2026-03-01T12:00:00.000Z', frozen: true, real: false });

    await page.getByLabel('Seconds (negative moves it back)').fill('90');
    await page.getByRole('button', { name: 'Advance' }).click();
    await page.getByText('Now: 2026-03-01T12:01:30.000Z frozen').waitFor();
    assert.deepEqual((await op.controls.GET('/_orgplane/clock')).data!.result, { now: '2026-03-01T12:01:30.000Z', frozen: true, real: false });

    // Before the fixture's own timestamps: the API refuses, and the console shows its message.
    const refused = await apiMessage(op.controls.POST('/_orgplane/clock/advance', { body: { seconds: -86_400 * 365 } }));
    await page.getByLabel('Seconds (negative moves it back)').fill(String(-86_400 * 365));
    await page.getByRole('button', { name: 'Advance' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), new RegExp(`^${refused.status}: ${refused.message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.equal((await op.controls.GET('/_orgplane/clock')).data!.result.now, '2026-03-01T12:01:30.000Z');

    await page.getByLabel('Frozen').uncheck();
    await page.getByRole('button', { name: 'Set clock' }).click();
    await page.getByText(/Now: 2026-03-01T12:01:3.* running/).waitFor();
    assert.equal((await op.controls.GET('/_orgplane/clock')).data!.result.frozen, false);

    await page.getByRole('button', { name: 'Back to real time' }).click();
    await page.getByText('real time', { exact: true }).waitFor();
    assert.equal((await op.controls.GET('/_orgplane/clock')).data!.result.real, true);
    page.assertClean();
  });

  it('fault rules: add with method, route, status and times; they fire and count; delete all', async () => {
    const page = await consolePage(browser, op);
    await signIn(page, op);
    await openEmulator(page);
    await page.getByText('No fault rules').waitFor();
    const form = page.getByRole('form', { name: 'Add a fault rule' });
    await form.getByLabel('Method').selectOption('GET');
    await form.getByLabel('Route (empty: any)').fill('/v1/organizations/{organizationId}');
    await form.getByLabel('Status').fill('503');
    await form.getByLabel('Times (empty: unlimited)').fill('2');
    await form.getByRole('button', { name: 'Add rule' }).click();
    await page.getByRole('table', { name: 'Fault rules' }).getByRole('cell', { name: '/v1/organizations/{organizationId}', exact: true }).waitFor();
    const added = (await op.controls.GET('/_orgplane/faults')).data!.result.rules;
    assert.deepEqual(
      added.map((r) => [r.method, r.route, r.kind, r.status, r.times, r.fired, r.remaining]),
      [['GET', '/v1/organizations/{organizationId}', 'status', 503, 2, 0, 2]],
    );

    assert.equal((await apiMessage(op.client.GET('/v1/organizations/{organizationId}', org()))).status, 503);
    await page.getByRole('button', { name: 'Refresh rules' }).click();
    await page.getByRole('table', { name: 'Fault rules' }).getByRole('row', { name: /GET .* 503 2 1 1/ }).waitFor();

    // A second rule: the first goes along with what it had left.
    await form.getByLabel('Method').selectOption('DELETE');
    await form.getByLabel('Route (empty: any)').fill('/v1/organizations/{organizationId}/keys/{keyId}');
    await form.getByLabel('Status').fill('500');
    await form.getByRole('button', { name: 'Add rule' }).click();
    await page.getByRole('table', { name: 'Fault rules' }).getByRole('cell', { name: '/v1/organizations/{organizationId}/keys/{keyId}', exact: true }).waitFor();
    const both = (await op.controls.GET('/_orgplane/faults')).data!.result.rules;
    assert.deepEqual(
      both.map((r) => [r.method, r.route, r.status, r.times, r.remaining]),
      [
        ['GET', '/v1/organizations/{organizationId}', 503, 1, 1],
        ['DELETE', '/v1/organizations/{organizationId}/keys/{keyId}', 500, undefined, undefined],
      ],
    );

    await page.getByRole('button', { name: 'Delete all rules' }).click();
    await page.getByText('No fault rules').waitFor();
    assert.deepEqual((await op.controls.GET('/_orgplane/faults')).data!.result.rules, []);
    page.assertClean();
  });

  it('the request journal: newest first, with route, status, duration, time, key and fault; cleared', async () => {
    const page = await consolePage(browser, op);
    await signIn(page, op);
    await page.getByRole('button', { name: 'Save name' }).waitFor();
    // From here on, the API requests are the test's own (the Emulator view calls only the controls).
    await op.controls.DELETE('/_orgplane/requests');
    await op.controls.POST('/_orgplane/faults', {
      body: {
        rules: [
          { method: 'GET', route: '/v1/organizations', status: 503, times: 1 },
          { method: 'DELETE', route: '/v1/organizations/{organizationId}/keys/{keyId}', status: 500 },
        ],
      },
    });
    await apiMessage(op.client.GET('/v1/organizations'));
    await op.client.GET('/v1/organizations');
    await op.client.GET('/v1/organizations/{organizationId}', org());
    await openEmulator(page);
    await page.getByRole('table', { name: 'Request journal' }).locator('tbody tr').nth(2).waitFor();
    const journal = (await op.controls.GET('/_orgplane/requests')).data!.result;
    assert.deepEqual(
      journal.map((e) => [e.route, e.status, e.fault]),
      [
        ['/v1/organizations/{organizationId}', 200, undefined],
        ['/v1/organizations', 200, undefined],
        ['/v1/organizations', 503, 'status'],
      ],
    );
    // The fault answered before the key was checked: that request has no key suffix.
    assert.deepEqual(
      journal.map((e) => e.keySuffix),
      [ADMIN.keyId.slice(-4), ADMIN.keyId.slice(-4), undefined],
    );
    assert.deepEqual(
      await rows(page, 'Request journal'),
      journal.map((e) => [e.time, e.method, e.route!, String(e.status), `${e.durationMs.toFixed(1)} ms`, e.keySuffix ? `…${e.keySuffix}` : '—', e.fault ?? '']),
    );
    await assertAccessible(page, 'emulator');
    await screenshot(page, 'console-emulator');

    await page.getByRole('button', { name: 'Clear journal' }).click();
    await page.getByText('No requests since the journal was last cleared.').waitFor();
    assert.deepEqual((await op.controls.GET('/_orgplane/requests')).data!.result, []);
    page.assertClean();
  });

  it("seed: a fixture file applies on top; a bad one shows the API's 400, a conflicting one its 409; not JSON is said so", async () => {
    const page = await consolePage(browser, op);
    await signIn(page, op);
    await openEmulator(page);
    const fileInput = page.getByLabel('Fixture file (JSON)');
    const apply = page.getByRole('button', { name: 'Apply fixture' });
    const upload = async (name: string, body: unknown) => {
      await fileInput.setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)) });
      await apply.click();
    };

    await upload('good.json', { organizations: [{ name: 'Seeded from the console', privateEndpoints: [{ id: 'vpce-seeded', cloudProvider: 'aws', region: 'us-east-1' }] }] });
    await page.getByRole('status').filter({ hasText: 'Seeded good.json' }).waitFor();
    assert.match(await page.getByRole('status').innerText(), /^Seeded good\.json: 1 organization, 1 private endpoint, \d+ activit(y|ies)\.$/);
    const state = (await op.controls.GET('/_orgplane/snapshot')).data!.result;
    assert.deepEqual(
      state.organizations.map((o) => o.name).sort(),
      ['Emulator fixture org', 'Seeded from the console'],
    );

    const bad = { organizations: [{ name: 'bad', privateEndpoints: [{ id: 'vpce-x', cloudProvider: 'aws', region: 'mars-north-1' }] }] };
    const badAnswer = await apiMessage(op.controls.POST('/_orgplane/seed', { body: bad as never }));
    assert.equal(badAnswer.status, 400);
    await upload('bad.json', bad);
    await page.getByRole('alert').waitFor();
    assert.equal((await page.getByRole('alert').innerText()).split('\n')[0], `400: ${badAnswer.message}`);

    const conflicting = { organizations: [{ id: op.organizationId, name: 'the same ID again' }] };
    const conflict = await apiMessage(op.controls.POST('/_orgplane/seed', { body: conflicting }));
    assert.equal(conflict.status, 409);
    await upload('conflict.json', conflicting);
    await page.getByRole('alert').filter({ hasText: '409: ' }).waitFor();
    assert.equal((await page.getByRole('alert').innerText()).split('\n')[0], `409: ${conflict.message}`);

    await upload('notes.json', 'organizations: []');
    await page.getByRole('alert').filter({ hasText: 'notes.json is not JSON' }).waitFor();
    // Neither refusal changed anything.
    assert.equal((await op.controls.GET('/_orgplane/snapshot')).data!.result.organizations.length, 2);
    page.assertClean();
  });

  it("a developer key: the controls answer to the server (and its token), not to the key's roles", async () => {
    const page = await consolePage(browser, op);
    await signIn(page, op, DEVELOPER);
    // The API-side views offer this key no changes…
    await page.getByRole('button', { name: 'Save name' }).and(page.locator(':disabled')).waitFor();
    // …but the emulator controls are the server's, open to whoever may reach them, as with curl.
    await openEmulator(page);
    for (const name of ['Reset', 'Download snapshot', 'Set clock', 'Advance', 'Add rule', 'Refresh journal']) {
      assert.equal(await page.getByRole('button', { name, exact: true }).isEnabled(), true, name);
    }
    await page.getByLabel('Seconds (negative moves it back)').fill('60');
    await page.getByRole('button', { name: 'Advance' }).click();
    await page.getByText('Now: 2026-01-01T00:01:00.000Z frozen').waitFor();
    assert.equal((await op.controls.GET('/_orgplane/clock')).data!.result.now, '2026-01-01T00:01:00.000Z');
    page.assertClean();
  });
});

describe('console: the Emulator view of a server with a controls token', { skip: skipWithoutChromium }, () => {
  const TOKEN = 'console-controls-token-0123';
  let op: Orgplane;
  let browser: Browser;
  before(async () => {
    op = await startOrgplane({ controlsToken: TOKEN, clock: '2026-01-01T00:00:00Z,frozen' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await op?.stop();
  });

  it('asks for the token, shows the 401 of a wrong one, keeps the right one in the session and uses it', async () => {
    const page = await consolePage(browser, op);
    await signIn(page, op);
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Emulator' }).click();
    const token = page.getByLabel('Controls token', { exact: true });
    await token.waitFor();
    assert.equal(await token.getAttribute('type'), 'password');
    assert.equal(await page.getByRole('button', { name: 'Reset' }).count(), 0, 'no controls before the token');
    assert.equal(await page.getByRole('alert').count(), 0, 'no error before a token was tried');
    await assertAccessible(page, 'emulator token');

    await token.fill('not-the-controls-token-000');
    await page.getByRole('button', { name: 'Use token' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const wrong = await fetch(`${op.url}/_orgplane/clock`, { headers: { authorization: 'Bearer not-the-controls-token-000' } });
    const wrongBody = (await wrong.json()) as { error: string };
    assert.equal(wrong.status, 401);
    assert.equal((await alert.innerText()).split('\n')[0], `401: ${wrongBody.error}`);

    await page.getByLabel('Controls token', { exact: true }).fill(TOKEN);
    await page.getByRole('button', { name: 'Use token' }).click();
    await page.getByText('Now: 2026-01-01T00:00:00.000Z frozen').waitFor();
    const stored = await page.evaluate(() => JSON.parse(sessionStorage.getItem('orgplane-console-session')!).controlsToken as string);
    assert.equal(stored === TOKEN, true, 'the token is kept in the session');

    await page.getByLabel('Seconds (negative moves it back)').fill('120');
    await page.getByRole('button', { name: 'Advance' }).click();
    await page.getByText('Now: 2026-01-01T00:02:00.000Z frozen').waitFor();
    assert.equal((await op.controls.GET('/_orgplane/clock')).data!.result.now, '2026-01-01T00:02:00.000Z');

    // A reload keeps the token: no second question.
    await page.reload();
    await page.getByText('Now: 2026-01-01T00:02:00.000Z frozen').waitFor();
    assert.equal(await page.getByLabel('Controls token', { exact: true }).count(), 0);
    page.assertClean();
  });
});

describe('console: a server without the controls', { skip: skipWithoutChromium }, () => {
  let serve: ServeProcess;
  let browser: Browser;
  let credentials: { keyId: string; keySecret: string };
  before(async () => {
    serve = await startServe(['--database', 'sqlite::memory:'], { ORGPLANE_CONTROLS: '0' });
    const match = /key ID:\s+(\S+)\n\s+key secret:\s+(\S+)/.exec(serve.stderr());
    assert.ok(match, 'the first-start banner gives the key');
    credentials = { keyId: match[1]!, keySecret: match[2]! };
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('has no Emulator entry, and /console/emulator is not a page', async () => {
    // The console helpers need only the server's URL.
    const server = { url: serve.url } as Orgplane;
    const page = await consolePage(browser, server);
    // The shell asks the controls' clock whether they are served: its answer decides the entry.
    const clockAnswer = page.waitForResponse((response) => new URL(response.url()).pathname === '/_orgplane/clock');
    await signIn(page, server, credentials);
    assert.equal((await clockAnswer).status(), 404);
    const nav = page.getByRole('navigation', { name: 'Console' });
    await nav.getByRole('link', { name: 'Organization' }).waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Emulator' }).count(), 0);
    await page.goto(`${serve.url}/console/emulator`);
    await page.getByRole('heading', { name: 'Not found' }).waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Emulator' }).count(), 0);
    page.assertClean();
  });
});
