import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { get } from 'node:http';
import { describeUnless } from '../helpers/backends.js';
import { CHROMIUM, missingChromium } from '../helpers/missing-services.js';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { UNAUTHORIZED_MESSAGE } from '../../src/domain/errors.js';
import { request, startTestServer, type TestServer } from '../helpers/server.js';

describeUnless(missingChromium()?.reason, 'API reference at /docs in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  before(async () => {
    server = await startTestServer();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--host-resolver-rules=MAP docs.orgplane.test 127.0.0.1', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
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
    // The page works under its Content-Security-Policy: the browser reports no violation of it.
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    const served = await page.goto(`${server.url}/docs/`);
    assert.match(served!.headers()['content-security-policy'] ?? '', /frame-ancestors 'none'/);
    assert.equal(served!.headers()['x-frame-options'], 'DENY');
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
    const operation = page.locator('[id^="operations-"][id$="-organizationGetList"]');
    await operation.locator('.opblock-summary').click();
    // "Try it out" is on by default (tryItOutEnabled), so Execute is there at once.
    const [response] = await Promise.all([page.waitForResponse((r) => r.url() === `${server.url}/v1/organizations`), operation.locator('button.execute').click()]);
    assert.equal(response.status(), 200);
    assert.equal((await response.json()).result[0].id, server.organizationId);
    assert.deepEqual(external, []);
    assert.deepEqual(violations, []);
    await page.close();
  });

  it('groups the operations under the vendor\'s tags and shows real example bodies', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/docs/`);
    await page.waitForSelector('.opblock', { timeout: 15_000 });
    const tags = await page.locator('.opblock-tag-section .opblock-tag').evaluateAll((els) => els.map((e) => e.getAttribute('data-tag')));
    // In the order the document declares them (src/http/openapi-tags.ts).
    assert.deepEqual(tags, ['Organization', 'OpenAPI', 'Role Management', 'User management', 'Billing', 'Prometheus', 'Health']);
    assert.equal(await page.locator('#operations-OpenAPI-openapiKeyCreate').count(), 1);
    const update = page.locator('#operations-Organization-organizationUpdate');
    await update.locator('.opblock-summary').click();
    // "Try it out" is on, so the request body editor starts from the example, not from "string".
    const body = await update.locator('textarea.body-param__text').inputValue({ timeout: 15_000 });
    assert.deepEqual(JSON.parse(body).privateEndpoints.add[0], { id: 'vpce-0a1b2c3d4e5f67890', cloudProvider: 'aws', region: 'us-east-1', description: 'Production VPC' });
    const responses = (await update.locator('.responses-wrapper').textContent()) ?? '';
    assert.ok(responses.includes('Acme Analytics') && responses.includes('Authentication failed'), responses.slice(0, 500));
    assert.ok(!responses.includes('"string"'), 'an example shows swagger-ui\'s placeholder');
    await page.close();
  });

  // Browsers send Sec-Fetch-* only to trustworthy origins (HTTPS, localhost): 127.0.0.1 gets them, a plain-HTTP
  // host name (mapped to 127.0.0.1 by --host-resolver-rules) does not, and relies on the docs page's own marker.
  for (const [origin, secFetch] of [['127.0.0.1', true], ['docs.orgplane.test', false]] as const) {
    it(`"try it" with a wrong secret shows the 401 envelope, not the browser's sign-in box (${origin})`, { timeout: 60_000 }, async () => {
      const base = server.url.replace('127.0.0.1', origin);
      const page = await browser.newPage();
      await page.goto(`${base}/docs/`);
      await page.waitForSelector('.opblock', { timeout: 15_000 });
      await page.click('button.authorize');
      await page.fill('#auth-basic-username', server.admin.keyId);
      await page.fill('#auth-basic-password', 'not-the-secret');
      await page.click('.auth-container button.authorize');
      await page.click('button.close-modal');
      const operation = page.locator('[id^="operations-"][id$="-organizationGetList"]');
      await operation.locator('.opblock-summary').click();
      const [sent] = await Promise.all([page.waitForRequest(`${base}/v1/organizations`), operation.locator('button.execute').click()]);
      const headers = await sent.allHeaders();
      assert.equal('sec-fetch-mode' in headers, secFetch, JSON.stringify(headers));
      assert.equal(headers['x-requested-with'], 'XMLHttpRequest');
      // With the challenge, Chromium holds the answer back for its sign-in box and the panel stays on LOADING.
      const status = operation.locator('.live-responses-table .response .response-col_status');
      await status.first().waitFor({ timeout: 15_000 });
      assert.equal((await status.first().textContent())?.trim(), '401');
      const body = await operation.locator('.live-responses-table .response .response-col_description').first().textContent();
      assert.ok(body?.includes(UNAUTHORIZED_MESSAGE), `response panel shows: ${body}`);
      assert.ok(body?.includes('"requestId"'), `response panel shows: ${body}`);
      await page.close();
    });
  }
});

describe('WWW-Authenticate on 401', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server?.close());

  it('is sent to API clients and browser navigations, not to scripts in a page', async () => {
    const { port } = new URL(server.url);
    const path = `/v1/organizations/${server.organizationId}`;
    const authorization = `Basic ${Buffer.from(`${server.admin.keyId}:wrong`).toString('base64')}`;
    // node:http sends exactly these headers, as curl does: no Sec-Fetch-*, nothing added.
    const challenge = (headers: Record<string, string>) =>
      new Promise<string | undefined>((resolve, reject) => {
        get({ host: '127.0.0.1', port, path, headers: { authorization, ...headers } }, (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => {
            assert.equal(res.statusCode, 401);
            assert.equal(JSON.parse(body).error, UNAUTHORIZED_MESSAGE);
            resolve(res.headers['www-authenticate']);
          });
        }).on('error', reject);
      });
    const BASIC = 'Basic realm="orgplane"';
    assert.equal(await challenge({ 'user-agent': 'curl/8.5.0', accept: '*/*' }), BASIC);
    // Node's fetch sends Sec-Fetch-Mode: cors, but no Sec-Fetch-Dest.
    assert.equal((await request(server, 'GET', path, { auth: { keyId: server.admin.keyId, keySecret: 'wrong' } })).headers.get('www-authenticate'), BASIC);
    // Typing the URL into the address bar: the browser may ask for credentials itself.
    assert.equal(await challenge({ 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document', 'sec-fetch-site': 'none' }), BASIC);
    for (const [mode, dest] of [['cors', 'empty'], ['same-origin', 'empty'], ['no-cors', 'image']]) {
      assert.equal(await challenge({ 'sec-fetch-mode': mode!, 'sec-fetch-dest': dest!, 'sec-fetch-site': 'same-origin' }), undefined, mode);
    }
    assert.equal(await challenge({ 'x-requested-with': 'XMLHttpRequest' }), undefined);
  });
});
