import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { startOrgplane, type Orgplane } from 'orgplane/testing';
import { assertAccessible, consolePage, launchBrowser, screenshot, signIn, skipWithoutChromium } from './helpers/console-browser.js';

describe('console: sign-in, navigation and the organization', { skip: skipWithoutChromium }, () => {
  let op: Orgplane;
  let browser: Browser;
  before(async () => {
    op = await startOrgplane({ clock: '2026-01-01T00:00:00Z,frozen' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await op?.stop();
  });

  it('a wrong secret shows the API message and requestId; the right one signs in, into sessionStorage only', async () => {
    const page = await consolePage(browser, op);
    await page.goto(`${op.url}/console/`);
    await assertAccessible(page, 'sign-in');
    await screenshot(page, 'console-sign-in');
    await page.getByLabel('Key ID').fill(op.keyId);
    await page.getByLabel('Key secret').fill('x'.repeat(42));
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const entry = (await op.requests({ route: '/v1/organizations' }))[0]!;
    assert.equal(entry.status, 401);
    assert.match(await alert.innerText(), new RegExp(`401: .*Request ID: ${entry.requestId}`, 's'));
    await signIn(page, op);
    const stored = await page.evaluate(() => ({ session: Object.keys(sessionStorage), local: Object.keys(localStorage), cookies: document.cookie }));
    assert.deepEqual(stored, { session: ['orgplane-console-session'], local: [], cookies: '' });
    assert.equal(new URL(page.url()).pathname, '/console/organization');
    page.assertClean();
  });

  it('every view has its own URL: reload and the back button keep it', async () => {
    const page = await consolePage(browser, op);
    await signIn(page, op);
    const nav = page.getByRole('navigation', { name: 'Console' });
    for (const name of ['Organization', 'API keys', 'Roles', 'Members', 'Invitations', 'BYOC', 'Usage', 'Activity', 'Emulator']) {
      assert.equal(await nav.getByRole('link', { name, exact: true }).count(), 1, `navigation entry ${name}`);
    }
    await nav.getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/console/keys');
    await page.reload();
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    await page.goBack();
    await page.getByRole('heading', { name: 'Organization', level: 1 }).waitFor();
    page.assertClean();
  });

  it('Organization: rename, core dumps, add and remove a private endpoint, look up the configuration', async () => {
    const page = await consolePage(browser, op);
    await signIn(page, op);
    await page.getByLabel('Name', { exact: true }).fill('Renamed in the console');
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.getByRole('button', { name: 'Save name' }).and(page.locator(':disabled')).waitFor();
    await page.getByLabel('Core dumps').click();
    await page.getByLabel('Core dumps').and(page.locator(':checked')).waitFor();
    await page.getByLabel('Endpoint ID').fill('vpce-console-1');
    await page.getByRole('form', { name: 'Add a private endpoint' }).getByLabel('Cloud provider').selectOption('gcp');
    await page.getByRole('form', { name: 'Add a private endpoint' }).getByLabel('Region').selectOption('europe-west4');
    await page.getByRole('button', { name: 'Add private endpoint' }).click();
    await page.getByRole('cell', { name: 'vpce-console-1' }).waitFor();
    const org = (await op.client.GET('/v1/organizations/{organizationId}', { params: { path: { organizationId: op.organizationId } } })).data!.result;
    assert.equal(org.name, 'Renamed in the console');
    assert.equal(org.enableCoreDumps, true);
    assert.deepEqual(org.privateEndpoints.map((e) => [e.id, e.cloudProvider, e.region]), [['vpce-console-1', 'gcp', 'europe-west4']]);
    await assertAccessible(page, 'organization');
    await screenshot(page, 'console-organization');
    await page.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('dialog', { name: 'Remove the private endpoint?' }).getByRole('button', { name: 'Remove' }).click();
    await page.getByText('No private endpoints.').waitFor();
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.getByText('Endpoint service:').waitFor();
    page.assertClean();
  });
});

describe('console: a rate-limited key', { skip: skipWithoutChromium }, () => {
  let op: Orgplane;
  let browser: Browser;
  before(async () => {
    // Sign-in, then the key's own record and roles: the fourth call of the window is refused.
    op = await startOrgplane({ rateLimit: '3/60s' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await op?.stop();
  });

  it("shows the API's 429 message and requestId, and counts down to X-RateLimit-Reset", async () => {
    const page = await consolePage(browser, op);
    await signIn(page, op);
    const alert = page.getByRole('alert');
    await alert.getByText(/Retry in \d+ s\./).waitFor();
    const refused = (await op.requests({ method: 'GET', route: '/v1/organizations/{organizationId}' }))[0]!;
    assert.equal(refused.status, 429);
    const first = await alert.innerText();
    assert.match(first, new RegExp(`^429: Rate limit exceeded.*Request ID: ${refused.requestId}`, 's'));
    const seconds = (text: string) => Number(/Retry in (\d+) s\./.exec(text)![1]);
    assert.ok(seconds(first) > 0 && seconds(first) <= 60, first);
    await page.waitForFunction((before) => {
      const match = /Retry in (\d+) s\./.exec(document.querySelector('[role="alert"]')?.textContent ?? '');
      return match !== null && Number(match[1]) < before;
    }, seconds(first));
    page.assertClean();
  });
});
