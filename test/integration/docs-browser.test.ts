import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../helpers/server.js';

// Debian's Chromium (apt-get install chromium); never a downloaded browser.
const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.CI !== 'true') {
  process.stdout.write(`# Browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium to run them)\n`);
}

describe('API reference at /docs in a real browser', { skip: !available && process.env.CI !== 'true' && 'needs /usr/bin/chromium' }, () => {
  let server: TestServer;
  let browser: Browser;
  before(async () => {
    server = await startTestServer();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lists the endpoints, loads nothing from outside, and "try it" calls the server with Basic auth', async () => {
    const page = await browser.newPage();
    const external: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(server.url) && !r.url().startsWith('data:')) external.push(r.url());
    });
    await page.goto(`${server.url}/docs/`);
    await page.waitForSelector('.opblock', { timeout: 15_000 });
    const text = await page.textContent('body');
    for (const path of ['/v1/organizations', '/v1/organizations/{organizationId}/activities', '/v1/organizations/{organizationId}/keys/{keyId}']) {
      assert.ok(text?.includes(path), `${path} is not listed`);
    }
    mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/docs.png', fullPage: false });

    // Authorize with Basic, then try GET /v1/organizations.
    await page.click('button.authorize');
    await page.fill('#auth-basic-username', server.admin.keyId);
    await page.fill('#auth-basic-password', server.admin.keySecret);
    await page.click('.auth-container button.authorize');
    await page.click('button.close-modal');
    const operation = page.locator('#operations-default-organizationGetList');
    await operation.locator('.opblock-summary').click();
    // "Try it out" is on by default (tryItOutEnabled), so Execute is there at once.
    const [response] = await Promise.all([page.waitForResponse((r) => r.url() === `${server.url}/v1/organizations`), operation.locator('button.execute').click()]);
    assert.equal(response.status(), 200);
    assert.equal((await response.json()).result[0].id, server.organizationId);
    assert.deepEqual(external, []);
    await page.close();
  });
});
