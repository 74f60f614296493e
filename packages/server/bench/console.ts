// The admin console's budgets (issue 26): the JavaScript it ships, gzipped, and how soon its first
// view answers in a real browser against a local server. Needs the console built (`npm run bench`
// builds every workspace first) and, for the browser half, Debian's Chromium.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { startOrgplane } from './lib/processes.js';

export const CHROMIUM = '/usr/bin/chromium';
const SESSION_KEY = 'orgplane-console-session';

/** The console package's build, as the server resolves it (the server depends on @orgplane/console). */
function consoleDist(): string {
  const dist = join(dirname(createRequire(import.meta.url).resolve('@orgplane/console/package.json')), 'dist');
  if (!existsSync(join(dist, 'index.html'))) throw new Error(`no console build in ${dist}: run npm run build`);
  return dist;
}

/** Every .js file of the build gzipped at level 9 (what a browser would fetch compressed at best), summed. */
export function consoleJavaScript(): { files: number; rawBytes: number; gzipBytes: number } {
  const dist = consoleDist();
  const scripts = (readdirSync(dist, { recursive: true }) as string[]).filter((file) => file.endsWith('.js'));
  if (scripts.length === 0) throw new Error(`no JavaScript in ${dist}`);
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const file of scripts) {
    const bytes = readFileSync(join(dist, file));
    rawBytes += bytes.length;
    gzipBytes += gzipSync(bytes, { level: 9 }).length;
  }
  return { files: scripts.length, rawBytes, gzipBytes };
}

export interface ConsoleTimings {
  /** A fresh browser context (no cache, no session) opens /console/ until the sign-in form can be used. */
  signInFormMs: number[];
  /** A fresh context with the tab's session (signed in once before) opens /console/organization until it can be edited. */
  organizationMs: number[];
}

const KEY = { keyId: 'benchConsoleKey00001', keySecret: 'benchConsoleSecret'.padEnd(42, 'x') };

/**
 * Times the console's first views in Chromium against `serve` (a separate process, no controls,
 * an in-memory database seeded with one organization). Every run is a new browser context, so
 * nothing is cached: the HTML, the hashed assets and the API calls are all fetched again.
 */
export async function measureConsole(work: string, runs: number): Promise<ConsoleTimings> {
  const fixtureFile = `${work}/console-fixture.json`;
  writeFileSync(fixtureFile, JSON.stringify({ organizations: [{ name: 'bench console', keys: [{ name: 'bench admin', ...KEY, roles: ['admin'] }] }] }));
  const server = await startOrgplane('sqlite::memory:', ['--seed', fixtureFile]);
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    // Sign in once through the form, as a person would; this also has the server read the build, which it does on the first request only.
    const first = await browser.newContext();
    const page = await first.newPage();
    await page.goto(`${server.url}/console/`);
    await page.getByLabel('Key ID').fill(KEY.keyId);
    await page.getByLabel('Key secret').fill(KEY.keySecret);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Organization', level: 1 }).waitFor();
    const session = await page.evaluate((key) => sessionStorage.getItem(key), SESSION_KEY);
    if (!session) throw new Error('the console kept no session after signing in');
    await first.close();

    const timings: ConsoleTimings = { signInFormMs: [], organizationMs: [] };
    for (let run = 0; run < runs; run++) {
      const fresh = await browser.newContext();
      const signIn = await fresh.newPage();
      const started = performance.now();
      await signIn.goto(`${server.url}/console/`);
      await signIn.getByLabel('Key ID').waitFor();
      await signIn.getByLabel('Key secret').waitFor();
      await signIn.getByRole('button', { name: 'Sign in' }).and(signIn.locator(':enabled')).waitFor();
      timings.signInFormMs.push(performance.now() - started);
      await fresh.close();

      // The tab's session, there before the console's script runs: what a reload of a signed-in tab finds.
      const signedIn = await browser.newContext();
      await signedIn.addInitScript(({ key, value }) => sessionStorage.setItem(key, value), { key: SESSION_KEY, value: session });
      const view = await signedIn.newPage();
      const opened = performance.now();
      await view.goto(`${server.url}/console/organization`);
      await view.getByRole('heading', { name: 'Organization', level: 1 }).waitFor();
      // Interactive: the organization is loaded and the key's permissions known, so the name can be edited.
      await view.getByLabel('Name', { exact: true }).and(view.locator(':enabled')).waitFor();
      await view.getByRole('button', { name: 'Save name' }).waitFor();
      timings.organizationMs.push(performance.now() - opened);
      await signedIn.close();
    }
    return timings;
  } finally {
    await browser?.close();
    await server.stop();
  }
}
