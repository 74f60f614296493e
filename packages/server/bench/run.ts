// orgplane's benchmark harness: `npm run bench` (full) or `npm run bench -- --quick` (CI smoke).
// Every figure is compared with a baseline measured in the same run; see docs/PERFORMANCE.md.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import { CHROMIUM, consoleJavaScript, measureConsole } from './console.js';
import { cpuMicros, median, memoryMiB, percentile, resetPeakRss } from './lib/process-stats.js';
import { fdatasyncPerSecond, load, startBareBaseline, startOrgplane, type Running } from './lib/processes.js';
import { seedPostgres, seedSqlite, type Seeded } from './lib/seed.js';
import { prepareRateLimited, type RateLimitedScenario } from './rate-limited.js';
import { measureTestingKit } from './testing-kit.js';
import { prepareUsageCost, USAGE_DAYS, USAGE_ENTITIES } from './usage-cost.js';

const quick = process.argv.includes('--quick');
const profile = process.argv.includes('--profile');
const RUNS = quick ? 1 : 3;
const SECONDS = quick ? 2 : 6;
/**
 * The GET rows alternate more and shorter runs: on the shared 2 cores one
 * run's CPU per request, bare node:http's included, varies by up to 2× from
 * the next, and a median of three paired runs moved the efficiency by ±15 %
 * between two runs of one build (docs/PERFORMANCE.md).
 */
const GET_RUNS = quick ? 1 : 9;
const GET_SECONDS = quick ? 2 : 3;
const ACTIVITIES = quick ? 20_000 : 1_000_000;
/** Seconds of load on the 429 path: a few are enough, as every answer is the same refusal. */
const RATE_LIMITED_SECONDS = quick ? 3 : SECONDS;
const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));
const CACHE = fileURLToPath(new URL('./.cache/', import.meta.url));

interface Result {
  scenario: string;
  backend: 'sqlite' | 'postgres';
  orgplaneRps?: number;
  baselineRps?: number;
  baseline?: string;
  ratio?: number;
  p50Ms?: number;
  p99Ms?: number;
  cpuUsPerRequest?: number;
  /** The bare node:http baseline's CPU µs per request, measured in the same run. */
  baselineCpuUsPerRequest?: number;
  /** baselineCpuUsPerRequest / cpuUsPerRequest: 1 is as cheap as bare node:http, 0.5 twice its CPU. */
  efficiency?: number;
  /** For streamed lists: the server's CPU during the stream divided by the rows streamed. */
  cpuUsPerRow?: number;
  /** Transactions PostgreSQL ran during the load (each statement outside a transaction is one). */
  pgStatements?: number;
  /** PostgreSQL's backends' CPU µs per request, from /proc. */
  pgCpuUsPerRequest?: number;
  /** Answers other than the expected status (and failed requests); any fails the row. */
  non429?: number;
  peakRssMiB?: number;
  value?: number;
  /** Every run's value, where the row reports their median. */
  samples?: number[];
  unit?: string;
  target: string;
  /** null for a reference row, which has no target of its own. */
  met: boolean | null;
}

const results: Result[] = [];
const log = (message: string) => process.stderr.write(`${message}\n`);
const auth = (s: Seeded) => ({ authorization: `Basic ${Buffer.from(`${s.keyId}:${s.keySecret}`).toString('base64')}` });
const round = (n: number | undefined, digits = 2) => (n === undefined || Number.isNaN(n) ? undefined : Math.round(n * 10 ** digits) / 10 ** digits);

async function timedLoad(server: Running, spec: Parameters<typeof load>[0]) {
  resetPeakRss(server.pid);
  const before = cpuMicros(server.pid);
  const result = await load(spec);
  const cpu = cpuMicros(server.pid) - before;
  const sorted = result.latenciesMs.sort((a, b) => a - b);
  if (result.non2xx || result.errors) log(`  warning: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.rps, p50: percentile(sorted, 50), p99: percentile(sorted, 99), cpuPerRequest: cpu / Math.max(1, result.requests) };
}

/**
 * The calibration server spins this long per request. The GET target's 0.60
 * of bare node:http turns out to leave room for only about this much work per
 * request on the 2-core machines, since the load generator shares them.
 */
const CALIBRATION_WORK_MICROS = 10;

/**
 * Issue 27's GET targets: the server's CPU per request at most 2× bare
 * node:http's on SQLite and 8× on PostgreSQL (whose server also waits on and
 * talks to another process per request). CPU, unlike throughput, does not
 * depend on how much of the 2 cores the load generator leaves.
 */
const GET_EFFICIENCY: Record<Result['backend'], number> = { sqlite: 0.5, postgres: 0.125 };

/** Scenario 1: authenticated GET of the organization vs a bare node:http server returning the same bytes. */
async function getOrganization(server: Running, seeded: Seeded, backend: Result['backend'], work: string): Promise<void> {
  const url = `${server.url}/v1/organizations/${seeded.organizationId}`;
  const body = Buffer.from(await (await fetch(url, { headers: auth(seeded) })).arrayBuffer());
  const bodyFile = `${work}/org-body.json`;
  writeFileSync(bodyFile, body);
  const bare = await startBareBaseline(bodyFile);
  const calibration = await startBareBaseline(bodyFile, CALIBRATION_WORK_MICROS);
  const ours = [];
  const base = [];
  const calibrated = [];
  try {
    for (let run = 0; run < GET_RUNS; run++) {
      base.push(await timedLoad(bare, { url: bare.url, method: 'GET', headers: {}, connections: 10, durationSeconds: GET_SECONDS }));
      ours.push(await timedLoad(server, { url, method: 'GET', headers: auth(seeded), connections: 10, durationSeconds: GET_SECONDS }));
      calibrated.push(await timedLoad(calibration, { url: calibration.url, method: 'GET', headers: {}, connections: 10, durationSeconds: GET_SECONDS }));
    }
  } finally {
    await bare.stop();
    await calibration.stop();
  }
  const ratio = median(ours.map((o) => o.rps)) / median(base.map((b) => b.rps));
  const p99 = median(ours.map((o) => o.p99));
  const bareCpu = median(base.map((b) => b.cpuPerRequest));
  const cpu = median(ours.map((o) => o.cpuPerRequest));
  // Each run against the bare run just before it, so that the machine's drift from run to run cancels.
  const pairedEfficiencies = ours.map((o, run) => base[run]!.cpuPerRequest / o.cpuPerRequest);
  const efficiency = median(pairedEfficiencies);
  results.push({
    scenario: 'GET organization (10 conns)',
    backend,
    orgplaneRps: median(ours.map((o) => o.rps)),
    baselineRps: median(base.map((b) => b.rps)),
    baseline: 'bare node:http, same bytes',
    ratio,
    p50Ms: median(ours.map((o) => o.p50)),
    p99Ms: p99,
    cpuUsPerRequest: cpu,
    baselineCpuUsPerRequest: bareCpu,
    efficiency,
    samples: pairedEfficiencies.map((n) => round(n, 3)!),
    peakRssMiB: memoryMiB(server.pid, 'VmHWM'),
    target: `server CPU ≤ ${1 / GET_EFFICIENCY[backend]}× bare`,
    met: efficiency >= GET_EFFICIENCY[backend],
  });
  results.push({
    scenario: `reference: bare node:http + ${CALIBRATION_WORK_MICROS} µs CPU/request`,
    backend,
    orgplaneRps: median(calibrated.map((c) => c.rps)),
    baselineRps: median(base.map((b) => b.rps)),
    baseline: 'bare node:http, same bytes',
    ratio: median(calibrated.map((c) => c.rps)) / median(base.map((b) => b.rps)),
    p50Ms: median(calibrated.map((c) => c.p50)),
    p99Ms: median(calibrated.map((c) => c.p99)),
    cpuUsPerRequest: median(calibrated.map((c) => c.cpuPerRequest)),
    baselineCpuUsPerRequest: bareCpu,
    efficiency: median(calibrated.map((c, run) => base[run]!.cpuPerRequest / c.cpuPerRequest)),
    target: 'none (what the GET ratio leaves room for)',
    met: null,
  });
}

/** Scenario 2: durable PATCH name vs raw fdatasync/s of the database's filesystem. */
async function patchName(server: Running, seeded: Seeded, backend: Result['backend'], work: string, connections: number): Promise<number> {
  const url = `${server.url}/v1/organizations/${seeded.organizationId}`;
  const ours = [];
  const syncs = [];
  for (let run = 0; run < RUNS; run++) {
    syncs.push(await fdatasyncPerSecond(`${work}/fdatasync.probe`, Math.min(SECONDS, 3)));
    ours.push(await timedLoad(server, { url, method: 'PATCH', headers: { ...auth(seeded), 'content-type': 'application/json' }, connections, durationSeconds: SECONDS, bodyPrefix: `bench ${backend} ${connections} ${run}` }));
  }
  const rps = median(ours.map((o) => o.rps));
  const ratio = rps / median(syncs);
  results.push({
    scenario: `PATCH name, durable (${connections} conns)`,
    backend,
    orgplaneRps: rps,
    baselineRps: median(syncs),
    baseline: 'raw fdatasync/s, same filesystem',
    ratio,
    p50Ms: median(ours.map((o) => o.p50)),
    p99Ms: median(ours.map((o) => o.p99)),
    cpuUsPerRequest: median(ours.map((o) => o.cpuPerRequest)),
    peakRssMiB: memoryMiB(server.pid, 'VmHWM'),
    target: backend === 'postgres' ? 'rps > SQLite at 50 conns' : 'ratio ≥ 0.5',
    met: backend === 'postgres' ? true : ratio >= 0.5,
  });
  return rps;
}

/** Scenario 3a: a one-day window of the large log. */
async function activityWindow(server: Running, seeded: Seeded, backend: Result['backend']): Promise<void> {
  const day = new Date(Date.now() - 365 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  const url = `${server.url}/v1/organizations/${seeded.organizationId}/activities?from_date=${day}&to_date=${day}`;
  const rows = (await (await fetch(url, { headers: auth(seeded) })).json()).result.length;
  const runs = [];
  for (let run = 0; run < RUNS; run++) runs.push(await timedLoad(server, { url, method: 'GET', headers: auth(seeded), connections: 1, durationSeconds: SECONDS }));
  const p99 = median(runs.map((r) => r.p99));
  results.push({
    scenario: `activities, one-day window (${rows} rows, 1 conn)`,
    backend,
    orgplaneRps: median(runs.map((r) => r.rps)),
    p50Ms: median(runs.map((r) => r.p50)),
    p99Ms: p99,
    cpuUsPerRequest: median(runs.map((r) => r.cpuPerRequest)),
    target: 'p99 ≤ 30 ms',
    met: p99 <= 30,
  });
}

/** Scenario 3c: usage cost of 31 days × 200 entities, one request at a time (bench/usage-cost.ts). */
async function usageCost(server: Running, seeded: Seeded, backend: Result['backend'], work: string): Promise<void> {
  const url = await prepareUsageCost(seeded.databaseUrl, seeded.organizationId, server.url, work);
  const answer = await (await fetch(url, { headers: auth(seeded) })).json();
  if (answer.result?.costs?.length !== USAGE_DAYS * USAGE_ENTITIES) throw new Error(`usageCost answered ${answer.result?.costs?.length} records`);
  const runs = [];
  for (let run = 0; run < RUNS; run++) runs.push(await timedLoad(server, { url, method: 'GET', headers: auth(seeded), connections: 1, durationSeconds: SECONDS }));
  results.push({
    scenario: `usage cost, ${USAGE_DAYS} days × ${USAGE_ENTITIES} entities (1 conn)`,
    backend,
    orgplaneRps: median(runs.map((r) => r.rps)),
    p50Ms: median(runs.map((r) => r.p50)),
    p99Ms: median(runs.map((r) => r.p99)),
    cpuUsPerRequest: median(runs.map((r) => r.cpuPerRequest)),
    target: 'none (p99 and CPU reported)',
    met: null,
  });
}

/** Reads a whole response, optionally pausing after the first chunk; samples the server's RSS meanwhile. */
function readAll(url: string, headers: Record<string, string>, pid: number, pauseMs: number): Promise<{ body: Buffer; maxRss: number }> {
  return new Promise((resolve, reject) => {
    let maxRss = memoryMiB(pid, 'VmRSS');
    const sampler = setInterval(() => (maxRss = Math.max(maxRss, memoryMiB(pid, 'VmRSS'))), 20);
    get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.once('data', () => {
        if (!pauseMs) return;
        res.pause();
        setTimeout(() => res.resume(), pauseMs);
      });
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => {
        clearInterval(sampler);
        resolve({ body: Buffer.concat(chunks), maxRss });
      });
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** Scenario 3b: the whole log, streamed: throughput, memory growth, and a slow reader. */
async function activityStream(server: Running, seeded: Seeded, backend: Result['backend']): Promise<void> {
  const url = `${server.url}/v1/organizations/${seeded.organizationId}/activities`;
  const rates = [];
  const cpuPerRow = [];
  const growths = [];
  let count = 0;
  let peak = 0;
  for (let run = 0; run < RUNS; run++) {
    resetPeakRss(server.pid);
    const rssBefore = memoryMiB(server.pid, 'VmRSS');
    const started = performance.now();
    const cpuBefore = cpuMicros(server.pid);
    const { body, maxRss } = await readAll(url, auth(seeded), server.pid, 0);
    const cpu = cpuMicros(server.pid) - cpuBefore;
    const seconds = (performance.now() - started) / 1000;
    count = JSON.parse(body.toString('utf8')).result.length as number;
    rates.push(count === seeded.activities ? count / seconds : 0);
    cpuPerRow.push(cpu / Math.max(1, count));
    growths.push(maxRss - rssBefore);
    peak = Math.max(peak, maxRss);
  }
  // Throughput: the median run; memory: the worst run.
  const perSecond = median(rates);
  const growth = Math.max(...growths);
  results.push({
    scenario: `activities, full list streamed (${count} rows)`,
    backend,
    value: perSecond,
    unit: 'activities/s',
    cpuUsPerRow: median(cpuPerRow),
    target: '≥ 150,000/s',
    met: perSecond >= 150_000,
  });
  results.push({ scenario: 'activities, full list: server RSS growth', backend, value: growth, unit: 'MiB', peakRssMiB: peak, target: '≤ 64 MiB', met: growth <= 64 });
  const slowBefore = memoryMiB(server.pid, 'VmRSS');
  const slow = await readAll(url, auth(seeded), server.pid, quick ? 1000 : 3000);
  let valid = false;
  try {
    valid = JSON.parse(slow.body.toString('utf8')).result.length === count;
  } catch {
    valid = false;
  }
  results.push({ scenario: 'activities, slow reader: RSS growth, valid JSON', backend, value: slow.maxRss - slowBefore, unit: 'MiB', target: '≤ 64 MiB and valid', met: valid && slow.maxRss - slowBefore <= 64 });
}

/**
 * Scenario 3d (PostgreSQL): GET organization with a key over its rate limit
 * (bench/rate-limited.ts). The issue asks for no database round trip per 429
 * until the window resets. One request first shows the measured instance that
 * the key is over its budget: it reads the key's row and its roles and asks
 * the shared counter, which answers 429. pg_stat_database counted 4
 * transactions for that request in the full run of 2026-12-07 (the three
 * statements above, and one more of the first rate-limited call of a freshly
 * started instance that a test server, warmed up, does not send); the load's
 * refusals must add none: the instance refuses the key from memory, before
 * its cached copy would be read again.
 */
const FIRST_REQUEST_STATEMENTS = 4;

async function rateLimitedGet(scenario: RateLimitedScenario): Promise<void> {
  const seconds = RATE_LIMITED_SECONDS;
  const figures = await scenario.measure(seconds);
  if (figures.non429) log(`  warning: ${figures.non429} answers were not 429`);
  results.push({
    scenario: `GET organization, key over its rate limit: 429 (10 conns, ${seconds} s)`,
    backend: 'postgres',
    orgplaneRps: figures.rps,
    p50Ms: figures.p50Ms,
    p99Ms: figures.p99Ms,
    cpuUsPerRequest: figures.serverCpuUsPerRequest,
    pgStatements: figures.statements,
    pgCpuUsPerRequest: figures.pgCpuUsPerRequest,
    non429: figures.non429,
    target: `no database round trip per 429 (≤ ${FIRST_REQUEST_STATEMENTS} statements in all, the first request's)`,
    met: figures.non429 === 0 && figures.statements <= FIRST_REQUEST_STATEMENTS,
  });
}

/** Scenario 4: start-up on an existing database until the first authenticated 200, and idle RSS. */
async function startup(seeded: Seeded): Promise<void> {
  const times = [];
  const idle = [];
  for (let run = 0; run < RUNS; run++) {
    const server = await startOrgplane(seeded.databaseUrl);
    for (;;) {
      const res = await fetch(`${server.url}/v1/organizations`, { headers: auth(seeded) }).catch(() => undefined);
      if (res?.status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    times.push(performance.now() - server.startedAt);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    idle.push(memoryMiB(server.pid, 'VmRSS'));
    await server.stop();
  }
  results.push({ scenario: 'start-up to first 200', backend: 'sqlite', value: median(times), samples: times, unit: 'ms', target: '≤ 400 ms', met: median(times) <= 400 });
  results.push({ scenario: 'idle RSS after start-up', backend: 'sqlite', value: median(idle), unit: 'MiB', target: '≤ 90 MB (85.8 MiB)', met: median(idle) <= 90e6 / 2 ** 20 });
}

/**
 * Scenario 5a: what `--controls` costs a request: the GET of scenario 1 on a
 * server with the controls (journal on, one fault rule that never matches)
 * against the same GET on a server without them, alternating, same database.
 */
async function controlsCost(seeded: Seeded, backend: Result['backend']): Promise<void> {
  const path = `/v1/organizations/${seeded.organizationId}`;
  const rule = { rules: [{ method: 'DELETE', route: '/v1/organizations/{organizationId}/keys/{keyId}', status: 503 }] };
  const off = [];
  const on = [];
  for (let run = 0; run < RUNS; run++) {
    for (const controls of [false, true]) {
      const server = await startOrgplane(seeded.databaseUrl, controls ? ['--controls'] : []);
      try {
        if (controls) {
          const res = await fetch(`${server.url}/_orgplane/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(rule) });
          if (res.status !== 200) throw new Error(`POST /_orgplane/faults: ${res.status} ${await res.text()}`);
        }
        const measured = await timedLoad(server, { url: `${server.url}${path}`, method: 'GET', headers: auth(seeded), connections: 10, durationSeconds: SECONDS });
        (controls ? on : off).push(measured);
      } finally {
        await server.stop();
      }
    }
  }
  const ratio = median(on.map((o) => o.rps)) / median(off.map((o) => o.rps));
  results.push({
    scenario: 'GET organization, --controls (journal + 1 fault rule)',
    backend,
    orgplaneRps: median(on.map((o) => o.rps)),
    baselineRps: median(off.map((o) => o.rps)),
    baseline: 'the same GET without --controls',
    ratio,
    p50Ms: median(on.map((o) => o.p50)),
    p99Ms: median(on.map((o) => o.p99)),
    cpuUsPerRequest: median(on.map((o) => o.cpuPerRequest)),
    target: 'none (the cost is reported)',
    met: null,
  });
}

/** A fixture of `organizations` organizations with `keysEach` known admin keys each. */
function benchFixture(organizations: number, keysEach: number) {
  const token = (prefix: string, i: number, length: number) => `${prefix}${String(i).padStart(6, '0')}`.padEnd(length, 'x');
  return {
    organizations: Array.from({ length: organizations }, (_, o) => ({
      name: `bench fixture ${o}`,
      keys: Array.from({ length: keysEach }, (_, k) => ({ name: `key ${k}`, keyId: token('fixtureId', o * keysEach + k, 20), keySecret: token('fixtureSecret', o * keysEach + k, 42), roles: ['admin'] })),
    })),
  };
}

/**
 * Scenario 5b: POST /_orgplane/reset of a server started with --seed (10
 * organizations, 100 keys), as a test suite runs it before each test; timed
 * by the client, so it includes the HTTP round trip.
 */
async function resetAndSeed(databaseUrl: string, backend: Result['backend'], work: string): Promise<void> {
  const fixtureFile = `${work}/fixture-${backend}.json`;
  writeFileSync(fixtureFile, JSON.stringify(benchFixture(10, 10)));
  const server = await startOrgplane(databaseUrl, ['--controls', '--seed', fixtureFile]);
  const times = [];
  try {
    // The first reset also empties what the database held before (on PostgreSQL, the scenarios' million activities): not timed.
    for (let i = -1; i < (quick ? 10 : 50); i++) {
      const started = performance.now();
      const res = await fetch(`${server.url}/_orgplane/reset`, { method: 'POST' });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`POST /_orgplane/reset: ${res.status} ${body}`);
      if (i >= 0) times.push(performance.now() - started);
    }
  } finally {
    await server.stop();
  }
  const sorted = [...times].sort((a, b) => a - b);
  const p50 = median(times);
  results.push({
    scenario: 'reset + seed, 10 orgs × 10 keys (--controls --seed)',
    backend,
    value: p50,
    unit: 'ms',
    p50Ms: p50,
    p99Ms: percentile(sorted, 99),
    target: backend === 'sqlite' ? 'median < 50 ms' : 'none (reported)',
    met: backend === 'sqlite' ? p50 < 50 : null,
  });
}

/** orgplane/testing: what a test file pays for its own server (README, "One server per test file"). */
function testingKit(): void {
  const cost = measureTestingKit({ fresh: quick ? 3 : 11, warm: quick ? 5 : 20 });
  const row = (scenario: string, samples: number[], unit: string, target: string, met: boolean | null) =>
    results.push({ scenario, backend: 'sqlite', value: median(samples), samples: samples.map((n) => round(n, 1)!), unit, target, met });
  const first = median(cost.firstStartMs);
  row('orgplane/testing: first startOrgplane() in a fresh process', cost.firstStartMs, 'ms', 'median ≤ 300 ms', first <= 300);
  row("orgplane/testing: import('orgplane/testing') in a fresh process", cost.importMs, 'ms', 'none (reported)', null);
  row("orgplane/testing: import('orgplane/testing') under tsx", cost.importUnderTsxMs, 'ms', 'none (reported)', null);
  row('orgplane/testing: startOrgplane() after the first', cost.laterStartMs, 'ms', 'none (reported)', null);
  row('orgplane/testing: RSS per further server', cost.rssPerServerMiB, 'MiB', 'none (reported)', null);
}

/** The console's budgets (issue 26): its JavaScript gzipped, and its first views in Chromium against a local server. */
async function consoleBudgets(work: string): Promise<void> {
  const js = consoleJavaScript();
  const kB = js.gzipBytes / 1000;
  results.push({ scenario: `console: JavaScript gzipped (level 9), ${js.files} file(s) in all`, backend: 'sqlite', value: kB, unit: 'kB', target: '≤ 250 kB', met: js.gzipBytes <= 250_000 });
  if (!existsSync(CHROMIUM)) {
    log(`console first-view scenarios skipped: needs ${CHROMIUM}`);
    return;
  }
  // Cheap (a page load each), so the same count in a quick run.
  const { signInFormMs, organizationMs } = await measureConsole(work, 5);
  const row = (scenario: string, samples: number[]) =>
    results.push({ scenario, backend: 'sqlite', value: median(samples), samples: samples.map((n) => round(n, 1)!), unit: 'ms', target: 'median ≤ 1000 ms', met: median(samples) <= 1000 });
  row('console: sign-in form usable (fresh browser context)', signInFormMs);
  row('console: Organization view interactive (fresh context, signed in)', organizationMs);
}

async function suite(seeded: Seeded, backend: Result['backend'], work: string): Promise<number> {
  const server = await startOrgplane(seeded.databaseUrl, [], profile ? `${RESULTS}profiles/${backend}` : undefined);
  try {
    log(`[${backend}] GET organization`);
    await getOrganization(server, seeded, backend, work);
    log(`[${backend}] activities`);
    await activityWindow(server, seeded, backend);
    await activityStream(server, seeded, backend);
    log(`[${backend}] usage cost`);
    await usageCost(server, seeded, backend, work);
    log(`[${backend}] PATCH`);
    let patch50 = 0;
    for (const connections of backend === 'postgres' ? [50] : [10, 50]) {
      const rps = await patchName(server, seeded, backend, work, connections);
      if (connections === 50) patch50 = rps;
    }
    return patch50;
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  mkdirSync(RESULTS, { recursive: true });
  mkdirSync(CACHE, { recursive: true });
  // The work directory shares the database's filesystem, so the fdatasync probe measures the same disk.
  const work = mkdtempSync(`${CACHE}run-`);
  const started = performance.now();
  try {
    const sqlite = await seedSqlite(ACTIVITIES, `${work}/orgplane.db`);
    if (sqlite.seedMs) results.push({ scenario: `seed ${ACTIVITIES} activities`, backend: 'sqlite', value: sqlite.seedMs / 1000, unit: 's', target: '≤ 60 s', met: sqlite.seedMs <= 60_000 });
    // Start-up first, on a quiet machine. Measured after the load scenarios, the same build
    // starts markedly slower than on its own (docs/PERFORMANCE.md): the harness by then holds
    // gigabytes of parsed activity lists, and its garbage collection competes for the 2 cores.
    log('[sqlite] start-up');
    await startup(sqlite);
    log('orgplane/testing');
    testingKit();
    log('console');
    await consoleBudgets(work);
    const sqlitePatch50 = await suite(sqlite, 'sqlite', work);
    log('[sqlite] controls');
    await controlsCost(sqlite, 'sqlite');
    await resetAndSeed(`sqlite:${work}/controls.db`, 'sqlite', work);

    const pgUrl = process.env.ORGPLANE_TEST_POSTGRES_URL;
    if (pgUrl) {
      const pgSeeded = await seedPostgres(pgUrl, ACTIVITIES);
      results.push({ scenario: `seed ${ACTIVITIES} activities`, backend: 'postgres', value: pgSeeded.seedMs / 1000, unit: 's', target: '≤ 60 s', met: pgSeeded.seedMs <= 60_000 });
      try {
        // Started now and measured after the suite: its server's start-up statements then have long reached pg_stat_database.
        const rateLimited = await prepareRateLimited(pgUrl);
        let pgPatch50: number;
        try {
          pgPatch50 = await suite(pgSeeded, 'postgres', work);
          log('[postgres] GET over the rate limit (429)');
          await rateLimitedGet(rateLimited);
        } finally {
          await rateLimited.close();
        }
        log('[postgres] controls');
        await resetAndSeed(pgSeeded.databaseUrl, 'postgres', work);
        const last = results.findLast((r) => r.backend === 'postgres' && r.scenario.startsWith('PATCH'))!;
        last.met = pgPatch50 > sqlitePatch50;
        last.target = `> SQLite at 50 conns (${Math.round(sqlitePatch50)}/s)`;
      } finally {
        await pgSeeded.drop();
      }
    } else {
      log('PostgreSQL scenarios skipped: set ORGPLANE_TEST_POSTGRES_URL to run them');
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  const table = new Table({
    head: ['scenario', 'db', 'orgplane', 'baseline', 'ratio', 'p50 ms', 'p99 ms', 'CPU µs/req', 'bare CPU µs/req', 'efficiency', 'PG stmts', 'PG CPU µs/req', 'peak RSS MiB', 'target', 'met'],
    style: { head: [], border: [] },
  });
  for (const r of results) {
    const cpu = r.cpuUsPerRequest !== undefined ? (round(r.cpuUsPerRequest, 1) ?? '') : r.cpuUsPerRow !== undefined ? `${round(r.cpuUsPerRow)}/row` : '';
    const met = r.met === null ? '' : r.met ? 'yes' : r.non429 ? `NO (${r.non429} not 429)` : 'NO';
    table.push([
      r.scenario,
      r.backend,
      r.orgplaneRps !== undefined ? `${Math.round(r.orgplaneRps)}/s` : `${round(r.value, 1)} ${r.unit}`,
      r.baselineRps !== undefined ? `${Math.round(r.baselineRps)}/s` : '',
      round(r.ratio) ?? '',
      round(r.p50Ms, 3) ?? '',
      round(r.p99Ms, 3) ?? '',
      cpu,
      round(r.baselineCpuUsPerRequest, 1) ?? '',
      round(r.efficiency, 3) ?? '',
      r.pgStatements ?? '',
      round(r.pgCpuUsPerRequest, 1) ?? '',
      round(r.peakRssMiB, 1) ?? '',
      r.target,
      met,
    ].map(String));
  }
  process.stdout.write(`${table.toString()}\n`);
  const report = { date: new Date().toISOString(), quick, runs: RUNS, secondsPerRun: SECONDS, activities: ACTIVITIES, node: process.version, durationSeconds: Math.round((performance.now() - started) / 1000), results };
  writeFileSync(`${RESULTS}latest.json`, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`wrote bench/results/latest.json (${report.durationSeconds} s)\n`);
}

await main();
