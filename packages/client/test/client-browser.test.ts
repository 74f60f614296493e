import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it, test } from 'node:test';
import { chromium, type Browser, type Route } from 'playwright-core';
import { startOrgplane, type Orgplane } from 'orgplane/testing';

// Debian's Chromium (apt-get install chromium); never a downloaded browser.
const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
// Outside CI a machine without Chromium skips (the run's notice, printed once by
// packages/server/test/skip-notices.ts, says so); in CI the test runs and fails instead.
const skip = !available && process.env.CI !== 'true' ? 'needs /usr/bin/chromium' : undefined;

// A made-up origin the page lives on. orgplane sends no CORS headers, so the client calls its own
// origin and the test forwards /v1 and /_orgplane from there to the real server.
const ORIGIN = 'http://client.orgplane.test';
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const here = dirname(fileURLToPath(import.meta.url));
/** The built package, as npm pack ships it (npm test builds it first). */
const CLIENT_DIST = resolve(here, '../dist');
const PAGE_MODULE = join(here, 'browser/client-page.js');

/** openapi-fetch's ESM entry, found as a browser-side import map would need it: its package.json's exports. */
function openapiFetch(): { dir: string; entry: string } {
  const manifest = createRequire(import.meta.url).resolve('openapi-fetch/package.json');
  const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as { exports: { '.': { import: string } } };
  return { dir: dirname(manifest), entry: exports['.'].import.replace(/^\.\//, '') };
}

/** The file under `dir` that a URL path below `prefix` names, or undefined when it would leave `dir`. */
function fileBelow(dir: string, prefix: string, pathname: string): string | undefined {
  const file = resolve(dir, `.${pathname.slice(prefix.length - 1)}`);
  return file.startsWith(dir + sep) ? file : undefined;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Letters and digits, the shape of orgplane's key IDs (20) and secrets (42) that a fixture may name. */
const alphanumeric = (length: number) => Array.from(randomBytes(length), (byte) => ALPHANUMERIC[byte % ALPHANUMERIC.length]).join('');

interface Forwarded {
  method: string;
  path: string;
  status: number;
  /** Whether the browser sent Basic credentials (never the value: it holds the secret). */
  basic: boolean;
  body: { error?: string; requestId?: string; result?: unknown };
}

interface PageResult {
  bufferType: string;
  read: { id: string; name: string };
  patchedName: string;
  error?: { isOrgplaneApiError: boolean; name: string; status: number; message: string; requestId?: string };
}

if (skip) test('@orgplane/client in a real browser', { skip }, () => {});
else
  describe('@orgplane/client in a real browser (Chromium, no bundler)', () => {
    const organizationId = randomUUID();
    let op: Orgplane;
    let browser: Browser;
    before(async () => {
      assert.ok(existsSync(join(CLIENT_DIST, 'index.js')), 'build the client first (npm run build -w @orgplane/client; npm test does)');
      op = await startOrgplane({
        fixture: { organizations: [{ id: organizationId, name: 'Browser organization', keys: [{ name: 'browser key', keyId: alphanumeric(20), keySecret: alphanumeric(42), roles: ['admin'] }] }] },
      });
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      });
    });
    after(async () => {
      await browser?.close();
      await op?.stop();
    });

    it('imports the built ES module through an import map and calls orgplane: read, update, and an OrgplaneApiError', async () => {
      const fetchPackage = openapiFetch();
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
      // Chromium logs every error answer to a fetch; the wrong secret's 401 is one the test asks for.
      const expected401 = 'Failed to load resource: the server responded with a status of 401 (Unauthorized)';
      page.on('console', (m) => m.type() === 'error' && m.text() !== expected401 && problems.push(`console: ${m.text()}`));
      page.on('request', (r) => !r.url().startsWith(`${ORIGIN}/`) && problems.push(`request outside the page's origin: ${r.url()}`));

      const html = `<!doctype html><html><head><meta charset="utf-8"><title>@orgplane/client</title>
<script type="importmap">${JSON.stringify({ imports: { '@orgplane/client': '/client/index.js', 'openapi-fetch': `/openapi-fetch/${fetchPackage.entry}` } })}</script>
<script type="module" src="/page.js"></script></head><body></body></html>`;
      const forwarded: Forwarded[] = [];
      const served: string[] = [];
      await page.route(`${ORIGIN}/**`, async (route: Route) => {
        const request = route.request();
        const { pathname, search } = new URL(request.url());
        if (pathname.startsWith('/v1/') || pathname.startsWith('/_orgplane/')) {
          // Real HTTP from here to the real server, with the browser's own method, headers and body.
          const response = await route.fetch({ url: `${op.url}${pathname}${search}` });
          const authorization = await request.headerValue('authorization');
          forwarded.push({ method: request.method(), path: pathname, status: response.status(), basic: authorization?.startsWith('Basic ') ?? false, body: await response.json() });
          return route.fulfill({ response });
        }
        served.push(pathname);
        if (pathname === '/') return route.fulfill({ contentType: 'text/html', body: html });
        const file =
          pathname === '/page.js' ? PAGE_MODULE
          : pathname.startsWith('/client/') ? fileBelow(CLIENT_DIST, '/client/', pathname)
          : pathname.startsWith('/openapi-fetch/') ? fileBelow(fetchPackage.dir, '/openapi-fetch/', pathname)
          : undefined;
        if (!file || !existsSync(file)) return route.fulfill({ status: 404, body: 'not here' });
        return route.fulfill({ contentType: 'text/javascript', body: readFileSync(file) });
      });

      await page.goto(`${ORIGIN}/`);
      await page.waitForFunction(() => 'runClient' in window, undefined, { timeout: 10_000 }).catch((err: Error) => {
        throw new Error(`the page's module did not load: ${[...problems, err.message].join('; ')}`);
      });
      const result = (await page.evaluate(
        (args) => (window as unknown as { runClient: (a: typeof args) => Promise<unknown> }).runClient(args),
        { organizationId, keyId: op.keyId, keySecret: op.keySecret, newName: 'Renamed in Chromium' },
      )) as PageResult;
      await page.close();

      // The page loaded the built files, unbundled, and nothing from anywhere else.
      assert.deepEqual(served.sort(), ['/', '/client/index.js', `/openapi-fetch/${fetchPackage.entry}`, '/page.js'].sort());
      assert.deepEqual(problems, []);
      assert.equal(result.bufferType, 'undefined', 'the page has no Buffer: the client does without it');

      assert.deepEqual(result.read, { id: organizationId, name: 'Browser organization' });
      assert.equal(result.patchedName, 'Renamed in Chromium');

      // The browser's Authorization header authenticated: the right key's calls got 200s, the wrong secret a 401.
      assert.deepEqual(
        forwarded.map(({ method, path, status, basic }) => ({ method, path, status, basic })),
        [
          { method: 'GET', path: `/v1/organizations/${organizationId}`, status: 200, basic: true },
          { method: 'PATCH', path: `/v1/organizations/${organizationId}`, status: 200, basic: true },
          { method: 'GET', path: '/v1/organizations', status: 401, basic: true },
        ],
      );

      // The wrong secret's answer reached the page as an OrgplaneApiError with the server's message and request id.
      const answer = forwarded[2]!.body;
      assert.ok(result.error, 'the call with the wrong secret did not reject');
      assert.equal(result.error.isOrgplaneApiError, true);
      assert.equal(result.error.name, 'OrgplaneApiError');
      assert.equal(result.error.status, 401);
      assert.match(result.error.message, /Authentication failed/);
      assert.equal(result.error.message, answer.error);
      assert.match(result.error.requestId ?? '', UUID_V4);
      assert.equal(result.error.requestId, answer.requestId);

      // The server itself saw these calls: its request journal, as orgplane/testing reads it.
      await op.expectCalled('/v1/organizations/{organizationId}', 1, { method: 'GET' });
      await op.expectCalled('/v1/organizations/{organizationId}', 1, { method: 'PATCH' });
      await op.expectCalled('/v1/organizations', 1, { method: 'GET' });
      const [rejected] = await op.requests({ method: 'GET', route: '/v1/organizations' });
      assert.equal(rejected?.status, 401);
      assert.equal(rejected?.requestId, result.error.requestId);
      const { data } = await op.client.GET('/v1/organizations/{organizationId}', { params: { path: { organizationId } } });
      assert.equal(data?.result.name, 'Renamed in Chromium', 'the server kept the browser\'s update');
    });
  });
