import { existsSync } from 'node:fs';

// The services some tests need and a run may not have. Tests that need a missing
// one are registered as skipped, with `reason`; the whole run announces each
// missing service once, with a "# <service> tests skipped: <hint>" line printed
// by test/skip-notices.ts before node --test starts (per test file it would be
// printed once for every file, as each runs in its own process). .ci/run fails
// CI on that line and on the skipped tests.

export const POSTGRES_ENV = 'ORGPLANE_TEST_POSTGRES_URL';
export const REDIS_ENV = 'ORGPLANE_TEST_REDIS_URL';
/** Debian's Chromium (apt-get install chromium); never a downloaded browser. */
export const CHROMIUM = '/usr/bin/chromium';

export interface MissingService {
  service: string;
  /** The skipped tests' reason, shown next to each by the reporter. */
  reason: string;
  /** What to do to run them. */
  hint: string;
}

export function missingPostgres(env: NodeJS.ProcessEnv = process.env): MissingService | undefined {
  if (env[POSTGRES_ENV]) return undefined;
  return { service: 'PostgreSQL', reason: `needs ${POSTGRES_ENV}`, hint: `set ${POSTGRES_ENV}=postgres://user@127.0.0.1:5432/db to run them` };
}

export function missingRedis(env: NodeJS.ProcessEnv = process.env): MissingService | undefined {
  if (env[REDIS_ENV]) return undefined;
  return { service: 'Redis', reason: `needs ${REDIS_ENV}`, hint: `set ${REDIS_ENV}=redis://127.0.0.1:6379 to run them` };
}

/** In CI a missing Chromium is not a skip: the browser tests run and fail. */
export function missingChromium(env: NodeJS.ProcessEnv = process.env): MissingService | undefined {
  if (existsSync(CHROMIUM) || env.CI === 'true') return undefined;
  return { service: 'Browser', reason: `needs ${CHROMIUM}`, hint: `no Chromium at ${CHROMIUM} (apt-get install -y chromium to run them)` };
}

/** The notice lines for this run's missing services, one per service. */
export function skipNotices(env: NodeJS.ProcessEnv = process.env): string[] {
  return [missingPostgres(env), missingRedis(env), missingChromium(env)].filter((m) => m !== undefined).map((m) => `# ${m.service} tests skipped: ${m.hint}`);
}
