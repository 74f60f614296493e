import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

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
  const sqlite = new SqliteDatabase(path);
  if (!memory) sqlite.pragma('journal_mode = WAL');
  // FULL: in WAL mode every commit is fsynced, so a 200 survives kill -9 and power loss.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', displayUrl: url, close: () => db.destroy() };
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
