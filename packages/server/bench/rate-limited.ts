// The 429 path on PostgreSQL (issue 27): GET organization with a key that has
// spent its rate-limit budget, 10 connections. Reports what each refusal costs:
// the server's CPU, PostgreSQL's CPU and the statements PostgreSQL ran.
import { cpuMicros, percentile } from './lib/process-stats.js';
import { load, startOrgplane } from './lib/processes.js';
import { cpuBetween, DatabaseWatch, STATS_SETTLE_MS } from './lib/postgres-stats.js';
import { seedPostgres } from './lib/seed.js';

/** The window outlasts the whole measurement (exhaustion, load, readings), so every request of the load is over budget. */
export const RATE_LIMIT = { points: 5, windowSeconds: 60 };
const CONNECTIONS = 10;

export interface RateLimitedFigures {
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Responses other than 429, and failed requests: each one fails the row. */
  non429: number;
  serverCpuUsPerRequest: number;
  pgCpuUsPerRequest: number;
  /** Transactions PostgreSQL ran in the scenario's database for the first request and the load (each statement of the server is one). */
  statements: number;
}

export interface RateLimitedScenario {
  /** Spends the key's budget and loads the server; run once, at least STATS_SETTLE_MS after `prepare…`. */
  measure(seconds: number): Promise<RateLimitedFigures>;
  close(): Promise<void>;
}

/**
 * Starts the server early, so that its start-up statements have long reached
 * pg_stat_database when the load begins: call this before other scenarios and
 * `measure` after them. The scenario gets a database of its own, as
 * pg_stat_database counts per database and the other scenarios' server runs
 * on the main one.
 */
export async function prepareRateLimited(adminUrl: string): Promise<RateLimitedScenario> {
  const seeded = await seedPostgres(adminUrl, 0);
  const database = new URL(seeded.databaseUrl).pathname.slice(1);
  const limit = ['--rate-limit', `${RATE_LIMIT.points}/${RATE_LIMIT.windowSeconds}s`];
  const path = `/v1/organizations/${seeded.organizationId}`;
  const headers = { authorization: `Basic ${Buffer.from(`${seeded.keyId}:${seeded.keySecret}`).toString('base64')}` };
  // Reads from the admin URL's database, so the readings never count in this one.
  const watch = await DatabaseWatch.open(adminUrl, database).catch(async (err: unknown) => {
    await seeded.drop();
    throw err;
  });
  const server = await startOrgplane(seeded.databaseUrl, limit).catch(async (err: unknown) => {
    await watch.close();
    await seeded.drop();
    throw err;
  });
  const serverStarted = performance.now();

  return {
    async measure(seconds) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, serverStarted + STATS_SETTLE_MS - performance.now())));
      // The budget is spent through a second instance on the same database, as a client
      // spreading its requests over instances would: the counters are shared in PostgreSQL.
      // Stopping it then publishes its statements at once (its backends exit), where
      // spending the budget on the measured server would leave them waiting in that
      // server's backends for up to 10 s, to be counted in the load.
      const ownBackends = new Set(await watch.backends());
      const spender = await startOrgplane(seeded.databaseUrl, limit);
      try {
        for (let i = 0; i < RATE_LIMIT.points; i++) {
          const res = await fetch(`${spender.url}${path}`, { headers });
          await res.arrayBuffer();
          if (res.status !== 200) throw new Error(`spending the rate-limit budget: request ${i + 1} answered ${res.status}`);
        }
      } finally {
        await spender.stop();
      }
      if (!(await watch.untilOnly(ownBackends))) throw new Error('the budget-spending server left backends connected');

      const statementsBefore = await watch.transactions();
      // One request first, as a client past its budget would send: it is this instance's first sight of the key.
      const first = await fetch(`${server.url}${path}`, { headers });
      await first.arrayBuffer();
      if (first.status !== 429) throw new Error(`the first request over the budget answered ${first.status}`);
      const pgBefore = await watch.backendCpu();
      const serverBefore = cpuMicros(server.pid);
      const result = await load({ url: `${server.url}${path}`, method: 'GET', headers, connections: CONNECTIONS, durationSeconds: seconds });
      const serverCpu = cpuMicros(server.pid) - serverBefore;
      const pgCpu = cpuBetween(pgBefore, await watch.backendCpu());
      // Its backends exit with it and publish their last statements as they do.
      await server.stop();
      if (!(await watch.untilOnly(new Set()))) throw new Error('the measured server left backends connected');
      const statements = (await watch.transactions()) - statementsBefore;

      const requests = Math.max(1, result.requests);
      const sorted = result.latenciesMs.sort((a, b) => a - b);
      const non429 = Object.entries(result.statuses).reduce((n, [status, count]) => (status === '429' ? n : n + count), 0) + result.errors;
      return {
        requests: result.requests,
        rps: result.rps,
        p50Ms: percentile(sorted, 50),
        p99Ms: percentile(sorted, 99),
        non429,
        serverCpuUsPerRequest: serverCpu / requests,
        pgCpuUsPerRequest: pgCpu / requests,
        statements,
      };
    },
    async close() {
      await server.stop();
      await watch.close();
      await seeded.drop();
    },
  };
}
