import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';
import { setCommitBarrier } from './transaction.js';
import { WalGroupSync } from './wal-group-sync.js';

export type DialectName = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: DialectName;
  /** The URL with any password removed, safe to log. */
  displayUrl: string;
  close(): Promise<void>;
}

export class DatabaseUrlError extends Error {}

export interface PostgresOptions {
  poolSize?: number;
  statementTimeoutMs?: number;
}

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
    max: options.poolSize ?? 10,
    statement_timeout: options.statementTimeoutMs ?? 5000,
    connectionTimeoutMillis: 5000,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', displayUrl: redactUrl(url), close: () => db.destroy() };
}

export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+):[^@]*@/, '$1:***@');
}
