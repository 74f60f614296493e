import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startOrgplane, type Orgplane } from 'orgplane/testing';
import { consolePage, launchBrowser, skipWithoutChromium } from './helpers/console-browser.js';

/** What has the focus: its tag, accessible text, and whether a focus ring is drawn around it. */
function focused(page: Page): Promise<{ tag: string; label: string; href: string | null; outline: string }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const label = el?.closest('label')?.firstChild?.textContent?.trim() ?? el?.textContent?.trim() ?? '';
    return { tag: el?.tagName.toLowerCase() ?? '', label, href: el?.getAttribute('href') ?? null, outline: el ? getComputedStyle(el).outlineStyle : 'none' };
  });
}

/** Presses Tab until the element named `label` has the focus (at most `limit` times); fails otherwise. */
async function tabTo(page: Page, label: string, limit = 20): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if ((await focused(page)).label === label) return;
  }
  assert.fail(`${label} was not reached with ${limit} presses of Tab`);
}

describe('console: the keyboard alone', { skip: skipWithoutChromium }, () => {
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

  it('signs in, and goes to every view and back with Tab and Enter on the navigation links, the focus always drawn', async () => {
    const page = await consolePage(browser, op);
    await page.goto(`${op.url}/console/`);
    await page.getByLabel('Key ID').waitFor();
    await tabTo(page, 'Key ID');
    await page.keyboard.type(op.keyId);
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).label, 'Key secret');
    await page.keyboard.type(op.keySecret);
    await page.keyboard.press('Enter');
    const nav = page.getByRole('navigation', { name: 'Console' });
    await page.getByRole('heading', { name: 'Organization', level: 1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/console/organization');

    const links = await nav.getByRole('link').evaluateAll((as) => as.map((a) => ({ name: a.textContent!.trim(), href: a.getAttribute('href')! })));
    for (const name of ['Organization', 'API keys', 'Emulator']) assert.ok(links.some((l) => l.name === name), `navigation entry ${name}`);
    assert.equal(links[0]!.name, 'Organization');

    await tabTo(page, 'Organization');
    for (const link of links.slice(1)) {
      // The focus stays on the link just followed, so the next one is one Tab away.
      await page.keyboard.press('Tab');
      const now = await focused(page);
      assert.deepEqual([now.tag, now.label, now.href], ['a', link.name, link.href]);
      assert.notEqual(now.outline, 'none', `a focus ring on ${link.name}`);
      await page.keyboard.press('Enter');
      await page.waitForURL((url) => url.pathname === link.href);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      assert.equal(await nav.getByRole('link', { name: link.name, exact: true }).getAttribute('aria-current'), 'page');
    }

    for (let i = 1; i < links.length; i++) await page.keyboard.press('Shift+Tab');
    assert.equal((await focused(page)).label, 'Organization');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === '/console/organization');
    await page.getByRole('heading', { name: 'Organization', level: 1 }).waitFor();
    page.assertClean();
  });
});
