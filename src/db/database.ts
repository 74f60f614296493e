import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import Cursor from 'pg-cursor';
import type { Database } from './schema.js';
import { setCommitBarrier } from './transaction.js';
import { WalGroupSync } from './wal-group-sync.js';

export type DialectName = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: DialectName;
  /** The node-postgres pool on PostgreSQL (shared with the rate limiter). */
  pool?: pg.Pool;
  /** The URL with any password removed, safe to log. */
  displayUrl: string;
  close(): Promise<void>;
}

export class DatabaseUrlError extends Error {}

export interface PostgresOptions {
  poolSize?: number;
  statementTimeoutMs?: number;
}

export const DEFAULT_POSTGRES_OPTIONS: Required<PostgresOptions> = { poolSize: 10, statementTimeoutMs: 5000 };

/**
 * The only place that knows which engine is underneath. Everything else talks
 * to Kysely<Database> and stays portable.
 */
export function openDatabase(url: string, pgOptions: PostgresOptions = {}): DatabaseHandle {
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length), url);
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return openPostgres(url, pgOptions);
  throw new DatabaseUrlError(`unsupported database URL "${redactUrl(url)}": expected sqlite:PATH, sqlite::memory: or postgres://…`);
}

function openSqlite(path: string, url: string): DatabaseHandle {
  if (path === '') throw new DatabaseUrlError('sqlite: URL needs a path, e.g. sqlite:./data/orgplane.db or sqlite::memory:');
  const memory = path === ':memory:';
  if (!memory) mkdirSync(dirname(path), { recursive: true });
  const sqlite = cachePreparedStatements(new SqliteDatabase(path));
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  if (memory) {
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    return { db, dialect: 'sqlite', displayUrl: url, close: () => db.destroy() };
  }
  sqlite.pragma('journal_mode = WAL');
  // NORMAL plus an explicit, shared fdatasync of the WAL before every acknowledgement
  // (see wal-group-sync.ts): the same promise as FULL — a 200 survives kill -9 and power
  // loss — but concurrent writes share one sync instead of blocking on one each.
  sqlite.pragma('synchronous = NORMAL');
  const walSync = new WalGroupSync(`${path}-wal`);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  setCommitBarrier(db, () => walSync.sync());
  return {
    db,
    dialect: 'sqlite',
    displayUrl: url,
    close: async () => {
      await walSync.close();
      await db.destroy();
    },
  };
}

/**
 * Kysely prepares every statement anew; SQLite statements are reusable, and
 * preparing is a large share of a small query's cost. Caches them by SQL text
 * (the set of distinct statements is small and fixed by the code).
 */
function cachePreparedStatements(sqlite: SqliteDatabase.Database): SqliteDatabase.Database {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, SqliteDatabase.Statement>();
  sqlite.prepare = ((source: string) => {
    let statement = cache.get(source);
    if (!statement) {
      statement = prepare(source);
      if (cache.size < 500) cache.set(source, statement);
    }
    return statement;
  }) as typeof sqlite.prepare;
  return sqlite;
}

function openPostgres(url: string, options: PostgresOptions): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? DEFAULT_POSTGRES_OPTIONS.poolSize,
    // Bounded waits everywhere, so an unreachable or stuck database becomes a quick 503, never a hang.
    statement_timeout: options.statementTimeoutMs ?? DEFAULT_POSTGRES_OPTIONS.statementTimeoutMs,
    query_timeout: (options.statementTimeoutMs ?? DEFAULT_POSTGRES_OPTIONS.statementTimeoutMs) + 1000,
    connectionTimeoutMillis: 3000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection (database restart, pg_terminate_backend) must not
  // crash the process: the pool drops it and connects afresh on the next query.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool, cursor: Cursor }) });
  return { db, dialect: 'postgres', pool, displayUrl: redactUrl(url), close: () => db.destroy() };
}

export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+):[^@]*@/, '$1:***@');
}
