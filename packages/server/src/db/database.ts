import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { createRequire } from 'node:module';
import type pg from 'pg';
import type { Database } from './schema.js';
import { kyselyPostgresPool } from './postgres-statements.js';
import { kyselySqliteDatabase, sqliteRevision, type WriteCount } from './sqlite-statements.js';
import { transactor, type Transact } from './transaction.js';
import { WalGroupSync } from './wal-group-sync.js';

export type DialectName = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  /** Runs a transaction and resolves once its commit is durable (see transaction.ts). */
  transact: Transact;
  dialect: DialectName;
  /** The node-postgres pool on PostgreSQL (shared with the rate limiter). */
  pool?: pg.Pool;
  /** The URL with any password removed, safe to log. */
  displayUrl: string;
  /**
   * SQLite only: a number that grows whenever the database may have changed,
   * whoever changed it, read without a round trip (see sqliteRevision). On
   * PostgreSQL such a check is itself a round trip, so there is none.
   */
  revision?(): number;
  /** SQLite only: the database file (absent for sqlite::memory:). */
  file?: string;
  /**
   * PostgreSQL only: a separate one-connection handle without statement or query
   * time-outs, for work that may rightly wait or run long (migrations, and waiting
   * for another instance's migration). Request traffic never uses it.
   */
  openUnbounded?(): DatabaseHandle;
  close(): Promise<void>;
}

export class DatabaseUrlError extends Error {}

/** An operator command pointed at a SQLite file that is not there (only serve and migrate create one). */
export class DatabaseNotFoundError extends Error {}

export interface OpenOptions {
  /** Refuse a SQLite file that does not exist instead of creating an empty database. */
  mustExist?: boolean;
}

export interface PostgresOptions {
  poolSize?: number;
  /** 0 turns the statement and query time-outs off (migrations only). */
  statementTimeoutMs?: number;
}

export const DEFAULT_POSTGRES_OPTIONS: Required<PostgresOptions> = { poolSize: 10, statementTimeoutMs: 5000 };

/**
 * The only place that knows which engine is underneath. Everything else talks
 * to Kysely<Database> and stays portable.
 */
export function openDatabase(url: string, pgOptions: PostgresOptions = {}, options: OpenOptions = {}): DatabaseHandle {
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length), url, options);
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return openPostgres(url, pgOptions);
  throw new DatabaseUrlError(`unsupported database URL "${redactUrl(url)}": expected sqlite:PATH, sqlite::memory: or postgres://…`);
}

const SQLITE_BUSY_TIMEOUT_MS = 5000;

/**
 * Switches the file to WAL. SQLite answers SQLITE_BUSY at once, without its
 * busy handler, while another process holds the file in a write (such as a
 * concurrent start-up's migration), and can also leave the mode as it was and
 * answer with the old one, so this waits and retries for as long as the busy
 * timeout would. Start-up only: the synchronous wait blocks nothing else yet.
 */
function setWalMode(sqlite: SqliteDatabase.Database): void {
  const deadline = Date.now() + SQLITE_BUSY_TIMEOUT_MS;
  for (;;) {
    let mode: unknown;
    try {
      mode = sqlite.pragma('journal_mode = WAL', { simple: true });
      if (mode === 'wal') return;
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() >= deadline) throw err;
    }
    if (Date.now() >= deadline) throw new Error(`SQLite kept the journal mode ${String(mode)} instead of switching to WAL for ${SQLITE_BUSY_TIMEOUT_MS} ms`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
}

/**
 * The file holds key hashes and the audit log: a new one, and any directory
 * made for it, are the owner's alone (0600, 0700), whatever the umask. SQLite
 * gives its -wal and -shm files the database file's mode. An existing file
 * keeps the mode its operator gave it.
 */
export function createOwnerOnly(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // Never opens an existing file: closing a descriptor drops every lock this
  // process holds on the file, those of its open connections included.
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (err) {
    if ((err as { code?: string }).code !== 'EEXIST') throw err;
  }
}

function openSqlite(path: string, url: string, options: OpenOptions): DatabaseHandle {
  if (path === '') throw new DatabaseUrlError('sqlite: URL needs a path, e.g. sqlite:./data/orgplane.db or sqlite::memory:');
  const memory = path === ':memory:';
  const mustExist = options.mustExist === true && !memory;
  if (!memory && !mustExist) createOwnerOnly(path);
  let sqlite: SqliteDatabase.Database;
  try {
    sqlite = new SqliteDatabase(path, { fileMustExist: mustExist });
  } catch (err) {
    if (mustExist && !existsSync(path)) {
      throw new DatabaseNotFoundError(`no database at ${url} (only \`orgplane migrate\` and \`orgplane serve\` create one)`);
    }
    throw err;
  }
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  const writes: WriteCount = { count: 0 };
  if (memory) {
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: kyselySqliteDatabase(sqlite, writes) }) });
    return { db, transact: transactor(db), dialect: 'sqlite', displayUrl: url, revision: () => writes.count, close: () => db.destroy() };
  }
  setWalMode(sqlite);
  // NORMAL plus an explicit, shared fdatasync of the WAL before every acknowledgement
  // (see wal-group-sync.ts): the same promise as FULL — a 200 survives kill -9 and power
  // loss — but concurrent writes share one sync instead of blocking on one each.
  sqlite.pragma('synchronous = NORMAL');
  // A read makes sure the -shm file exists before the revision opens it.
  sqlite.pragma('data_version');
  const revision = sqliteRevision(writes, `${path}-shm`);
  const walSync = new WalGroupSync(`${path}-wal`);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: kyselySqliteDatabase(sqlite, writes) }) });
  return {
    db,
    transact: transactor(db, () => walSync.sync()),
    dialect: 'sqlite',
    displayUrl: url,
    revision: revision.read,
    file: path,
    close: async () => {
      await walSync.close();
      await db.destroy();
      revision.close();
    },
  };
}

// node-postgres is loaded only when a PostgreSQL URL is used: SQLite deployments start faster and smaller.
const requireLazily = createRequire(import.meta.url);

function openPostgres(url: string, options: PostgresOptions): DatabaseHandle {
  const { Pool } = requireLazily('pg') as typeof pg;
  const statementTimeoutMs = options.statementTimeoutMs ?? DEFAULT_POSTGRES_OPTIONS.statementTimeoutMs;
  const pool = new Pool({
    connectionString: url,
    max: options.poolSize ?? DEFAULT_POSTGRES_OPTIONS.poolSize,
    // Bounded waits everywhere, so an unreachable or stuck database becomes a quick 503, never a hang:
    // connecting (and waiting for a free pooled connection) is cut off after 3 s, a statement after
    // statementTimeoutMs on the server, and a reply that never arrives (network black hole) one
    // second later on the client.
    connectionTimeoutMillis: 3000,
    ...(statementTimeoutMs > 0
      ? {
          statement_timeout: statementTimeoutMs,
          query_timeout: statementTimeoutMs + 1000,
          // A transaction left open (a stalled instance holding an organization's row lock) is ended
          // by the server instead of blocking every other instance's writes to that organization.
          idle_in_transaction_session_timeout: statementTimeoutMs * 2,
        }
      : {}),
    idleTimeoutMillis: 30_000,
    // Detects a peer that vanished without closing the connection (host down, network partition).
    keepAlive: true,
  });
  // A client losing its connection (database restart, pg_terminate_backend, network cut) emits
  // 'error'. The pool listens only while a client is idle; a client checked out for a request
  // (e.g. between two statements of a transaction) has no listener, and an unhandled 'error'
  // event would bring the whole process down. The failing query itself already rejects (→ 503),
  // and a broken client is discarded on release, so both listeners only need to exist.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: kyselyPostgresPool(pool) }) });
  return {
    db,
    transact: transactor(db),
    dialect: 'postgres',
    pool,
    displayUrl: redactUrl(url),
    openUnbounded: () => openPostgres(url, { poolSize: 1, statementTimeoutMs: 0 }),
    close: () => db.destroy(),
  };
}

export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+):[^@]*@/, '$1:***@');
}
