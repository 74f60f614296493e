import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

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

const POSTGRES_ENV = 'ORGPLANE_TEST_POSTGRES_URL';
let skipNoticePrinted = false;

/**
 * The backends the integration suite runs against: SQLite always, PostgreSQL
 * when ORGPLANE_TEST_POSTGRES_URL is set (CI sets it; elsewhere the skip is announced).
 */
export function testBackends(): Backend[] {
  if (process.env[POSTGRES_ENV]) return ['sqlite', 'postgres'];
  if (!skipNoticePrinted) {
    skipNoticePrinted = true;
    process.stdout.write(`# PostgreSQL tests skipped: set ${POSTGRES_ENV}=postgres://user@127.0.0.1:5432/db to run them\n`);
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
