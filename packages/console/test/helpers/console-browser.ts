import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Orgplane } from 'orgplane/testing';

/** Debian's Chromium (apt-get install chromium); never a downloaded browser. */
export const CHROMIUM = '/usr/bin/chromium';
/**
 * Outside CI a machine without Chromium skips these tests (the run's notice, printed once by
 * packages/server/test/skip-notices.ts, says so); in CI they run and fail instead.
 */
export const skipWithoutChromium = !existsSync(CHROMIUM) && process.env.CI !== 'true' ? `needs ${CHROMIUM}` : undefined;

/**
 * Where screenshots go: test-artifacts/console/ on every run (not committed), and docs/console/
 * (the README's pictures) when ORGPLANE_UPDATE_SCREENSHOTS=1, so a test run leaves the tree as it was.
 */
const ARTIFACTS = fileURLToPath(new URL('../../../../test-artifacts/console/', import.meta.url));
const DOCS = fileURLToPath(new URL('../../../../docs/console/', import.meta.url));

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * A page that records what must never happen in the console: a script error, a Content-Security-Policy
 * violation, a dialog opened by page script, a request to any origin but the server's.
 */
export async function consolePage(browser: Browser, op: Orgplane): Promise<Page & { assertClean(): void }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: op.url });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(`CSP: ${message.text()}`);
  });
  page.on('dialog', (dialog) => {
    problems.push(`a script opened a ${dialog.type()} dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(`${op.url}/`) && !url.startsWith('data:')) problems.push(`request to another origin: ${url}`);
  });
  return Object.assign(page, { assertClean: () => assert.deepEqual(problems, []) });
}

/** Signs in through the form, as a person would, and waits for the navigation. */
export async function signIn(page: Page, op: Orgplane, credentials: { keyId: string; keySecret: string } = op): Promise<void> {
  await page.goto(`${op.url}/console/`);
  await page.getByLabel('Key ID').fill(credentials.keyId);
  await page.getByLabel('Key secret').fill(credentials.keySecret);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Console' }).waitFor();
}

/** axe-core on the page as it is: no serious or critical violation. */
export async function assertAccessible(page: Page, view: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    [],
    `accessibility violations on ${view}`,
  );
}

/** A screenshot of the view, kept as a test artifact (and in docs/console/ on request). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const image = await page.screenshot({ fullPage: true });
  for (const dir of process.env.ORGPLANE_UPDATE_SCREENSHOTS === '1' ? [ARTIFACTS, DOCS] : [ARTIFACTS]) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}${name}.png`, image);
  }
}
