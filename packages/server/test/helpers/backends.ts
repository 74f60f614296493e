import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import pg from 'pg';
import { missingPostgres, missingRedis, POSTGRES_ENV } from './missing-services.js';

export type Backend = 'sqlite' | 'postgres';

/** A database URL for one test, and how to throw it away afterwards. */
export interface TestDatabase {
  backend: Backend;
  url: string;
  /** The SQLite file (for byte scans and integrity checks); absent on PostgreSQL. */
  file?: string;
  drop(): Promise<void>;
  /** PostgreSQL only: ends every session on this database, as a server restart would. */
  terminateConnections(): Promise<void>;
}

// Tests that need a service this run does not have are reported as skipped:
// registered as skipped tests, which node:test's closing summary counts
// ("skipped N"; it does not count skipped suites), each with a reason naming
// what is missing. The run's one "# … tests skipped: …" line per missing
// service comes from test/skip-notices.ts (helpers/missing-services.ts).

/** Why this run cannot run PostgreSQL tests (ORGPLANE_TEST_POSTGRES_URL is not set), or undefined when it can. */
export function postgresSkipReason(): string | undefined {
  return missingPostgres()?.reason;
}

/** Why this run cannot run Redis tests (ORGPLANE_TEST_REDIS_URL is not set), or undefined when it can. */
export function redisSkipReason(): string | undefined {
  return missingRedis()?.reason;
}

/**
 * describe(name, fn) — or, when `skip` gives a reason, a skipped test of that
 * name in its place, so that the summary counts what did not run.
 */
export function describeUnless(skip: string | undefined, name: string, fn: () => void | Promise<void>): void {
  if (skip) test(name, { skip }, () => {});
  else describe(name, fn);
}

let postgresHalfSkipped = false;

/**
 * The backends the integration suite runs against: SQLite always, PostgreSQL
 * when ORGPLANE_TEST_POSTGRES_URL is set (CI sets it). Without it, the first
 * call registers one skipped test standing for this file's PostgreSQL suites.
 */
export function testBackends(): Backend[] {
  const skip = postgresSkipReason();
  if (!skip) return ['sqlite', 'postgres'];
  if (!postgresHalfSkipped) {
    postgresHalfSkipped = true;
    const file = process.argv[1] ? relative(process.cwd(), process.argv[1]) : 'this file';
    test(`PostgreSQL variants of the suites in ${file}`, { skip }, () => {});
  }
  return ['sqlite'];
}

/** A fresh, empty database: a new SQLite file, or a new PostgreSQL database created on the configured server. */
export async function createTestDatabase(backend: Backend): Promise<TestDatabase> {
  if (backend === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'orgplane-test-'));
    const file = join(dir, 'orgplane.db');
    return {
      backend,
      url: `sqlite:${file}`,
      file,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
      terminateConnections: async () => {},
    };
  }
  const adminUrl = process.env[POSTGRES_ENV];
  if (!adminUrl) throw new Error(`${POSTGRES_ENV} is not set`);
  const name = `orgplane_test_${randomUUID().replace(/-/g, '')}`;
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    backend,
    url: url.toString(),
    drop: () => withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
    terminateConnections: () =>
      withAdmin(adminUrl, (client) => client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name])).then(() => undefined),
  };
}

async function withAdmin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
