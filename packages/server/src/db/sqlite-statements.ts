import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { WAL_INDEX_HEADERS_BYTES, walIndexHeaders } from './wal-index-header.js';

/**
 * better-sqlite3 as Kysely sees it, tuned for a server that repeats the same
 * few statements:
 *
 * - Statements are prepared once and reused, keyed by SQL text (Kysely
 *   prepares anew on every query; preparing was a large share of a small
 *   query's cost). The set of distinct statements is small and fixed by the code.
 * - Rows are read as arrays and turned into objects here. better-sqlite3 builds
 *   each row object property by property, looking every column name up again,
 *   which cost a large part of a 1,000-row activity page (docs/PERFORMANCE.md).
 * - Every run of a statement that can write counts in `writes`, for revision().
 */
export function kyselySqliteDatabase(sqlite: BetterSqlite3.Database, writes: WriteCount = { count: 0 }): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  const schemaVersion = sqlite.prepare('PRAGMA schema_version').pluck();
  const readSchemaVersion = () => schemaVersion.get() as number;
  return {
    close: () => sqlite.close(),
    prepare(sql) {
      let statement = statements.get(sql);
      if (!statement) {
        const prepared = sqlite.prepare(sql);
        statement = rowsAsObjects(prepared, SELECTS_BY_WILDCARD.test(sql) ? readSchemaVersion : undefined);
        if (!prepared.readonly) statement = counted(statement, writes);
        if (statements.size < 500) statements.set(sql, statement);
      }
      return statement;
    },
  };
}

/** Statements run on the connection that can write, counted as they run. */
export interface WriteCount {
  count: number;
}

function counted(statement: SqliteStatement, writes: WriteCount): SqliteStatement {
  return {
    reader: statement.reader,
    all: (parameters) => {
      writes.count++;
      return statement.all(parameters);
    },
    run: (parameters) => {
      writes.count++;
      return statement.run(parameters);
    },
    iterate: (parameters) => {
      writes.count++;
      return statement.iterate(parameters);
    },
  };
}

/**
 * A number that grows once anything may have changed in the database: after a
 * statement of this connection that can write (`writes`), and after any other
 * connection's commit (another instance, the operator CLI), which rewrites the
 * WAL-index headers at the start of the -shm file (`shmFile`; none for
 * :memory:, which no other connection can reach). They are compared with the
 * copy last seen (wal-index-header.ts): PRAGMA data_version tells the same,
 * but takes and releases a read lock (two fcntl calls) and cost several times
 * more per request (docs/PERFORMANCE.md). A commit is visible to readers only
 * once the headers show it, so a revision read before the data never hides a
 * commit the data shows; read it before the data it guards, never after. A
 * statement counts as it runs, so a revision read while a transaction is open
 * already differs.
 */
export function sqliteRevision(writes: WriteCount, shmFile: string | undefined): { read(): number; close(): void } {
  if (shmFile === undefined) return { read: () => writes.count, close: () => {} };
  const headers = walIndexHeaders(shmFile);
  const seen = Buffer.alloc(WAL_INDEX_HEADERS_BYTES);
  let seenWrites = -1;
  let revision = 0;
  return {
    read: () => {
      const header = headers.read();
      if (writes.count !== seenWrites || !header.equals(seen)) {
        revision++;
        seenWrites = writes.count;
        header.copy(seen);
      }
      return revision;
    },
    close: () => headers.close(),
  };
}

/**
 * Only a `*` (select *, returning *) takes its columns from the schema; every
 * other result column is named by the statement's own text, so its names
 * cannot change and need no check on the hot path (a statement naming a
 * column that is gone fails instead). `count(*)` matches too, harmlessly.
 */
const SELECTS_BY_WILDCARD = /\*/;

/**
 * Column names of a `*` are not fixed at prepare time: when any connection changes the
 * schema, SQLite re-prepares the statement on its next run, and a `select *`
 * then returns other columns. Asking better-sqlite3 for the columns on every run
 * costs more than the rows, so the names are kept with the schema version they
 * were proven for and re-read only when the version read after a run differs.
 *
 * Why one read after the run suffices on the fast path: the version only grows,
 * and a run uses the program compiled for the version current when it ran. If
 * the names were proven for version p by an earlier run and the version right
 * after this run is still p, this run ran at p too. When the version differs,
 * the names are re-read from the statement (they describe the program that just
 * ran, since it is re-prepared only when it runs), but they are proven for a
 * version only when a read before the run gives the same version as the read
 * after it; until then every run re-reads them.
 */
function rowsAsObjects(statement: BetterSqlite3.Statement, readSchemaVersion: (() => number) | undefined): SqliteStatement {
  if (!statement.reader) return statement;
  statement.raw(true);
  let names: string[] = readSchemaVersion ? [] : statement.columns().map((column) => column.name);
  let namesVersion: number | undefined;
  const versionBefore = () => (readSchemaVersion && namesVersion === undefined ? readSchemaVersion() : undefined);
  const checkNames = (before: number | undefined) => {
    if (!readSchemaVersion) return;
    const after = readSchemaVersion();
    if (after === namesVersion) return;
    names = statement.columns().map((column) => column.name);
    namesVersion = before === after ? after : undefined;
  };
  const toObject = (values: unknown[]): Record<string, unknown> => {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) row[names[i]!] = values[i];
    return row;
  };
  return {
    reader: true,
    all: (parameters) => {
      const before = versionBefore();
      const rows = statement.all(parameters) as unknown[][];
      checkNames(before);
      return rows.map(toObject);
    },
    run: (parameters) => statement.run(parameters),
    *iterate(parameters) {
      const before = versionBefore();
      const rows = statement.iterate(parameters) as IterableIterator<unknown[]>;
      // The first step is what re-prepares; while the iteration is open the connection keeps one snapshot.
      try {
        const first = rows.next();
        checkNames(before);
        if (first.done) return;
        yield toObject(first.value);
        for (const values of rows) yield toObject(values);
      } finally {
        // A consumer that stops early must not leave the connection busy with an open statement.
        rows.return?.();
      }
    },
  };
}
