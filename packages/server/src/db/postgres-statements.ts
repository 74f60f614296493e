import type pg from 'pg';
import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import { copyOut, isCopyOut } from './postgres-copy.js';

/**
 * Beyond this many distinct statements, further ones run unnamed: the set the
 * code issues is small and fixed (a multi-row insert has one shape per row
 * count up to the batch size), so this only guards PostgreSQL's memory.
 */
const MAX_NAMED_STATEMENTS = 1000;

/**
 * node-postgres as Kysely sees it, with every statement that has parameters
 * sent as a named prepared statement. Unnamed, PostgreSQL parses and plans
 * each statement anew; named, each connection parses it once and reuses it.
 * On the GET that cut PostgreSQL's CPU per request by more than half and
 * raised throughput (figures in docs/PERFORMANCE.md, "Named prepared
 * statements on PostgreSQL").
 *
 * A prepared statement whose result columns change under it (another
 * instance's migration altering a table it reads with `*`) fails with
 * "cached plan must not change result type". The statement is then given a new
 * name, so every connection prepares it afresh, and run once more; inside a
 * transaction that second try cannot succeed, so the original error goes up
 * and `transact` runs the whole transaction again (see isStalePlanError).
 */
export function kyselyPostgresPool(pool: pg.Pool): PostgresPool {
  const names = new Map<string, string>();
  let issued = 0;
  const nameFor = (sql: string): string | undefined => {
    let name = names.get(sql);
    if (name === undefined && names.size < MAX_NAMED_STATEMENTS) {
      name = `orgplane_${issued++}`;
      names.set(sql, name);
    }
    return name;
  };
  const run = <R>(client: pg.PoolClient, sql: string, parameters: ReadonlyArray<unknown>) =>
    client.query({ name: nameFor(sql), text: sql, values: [...parameters] }) as unknown as Promise<PostgresQueryResult<R>>;

  return {
    end: () => pool.end(),
    async connect() {
      const client = await pool.connect();
      const query = <R>(sql: string | PostgresCursor<R>, parameters?: ReadonlyArray<unknown>) => {
        // Kysely passes a cursor only for .stream(), which orgplane does not use (lists page by keyset).
        if (typeof sql !== 'string') throw new Error('no PostgreSQL cursor is configured');
        // COPY's text reaches the caller as one buffer (postgres-copy.ts).
        if (isCopyOut(sql)) return copyOut(client, sql, parameters ?? []);
        // Transaction control and other statements without parameters gain nothing from a name.
        if (!parameters?.length) return client.query(sql);
        return run<R>(client, sql, parameters).catch((error: unknown) => {
          if (!isStalePlanError(error)) throw error;
          if (names.has(sql)) names.set(sql, `orgplane_${issued++}`);
          return run<R>(client, sql, parameters).catch(() => {
            throw error;
          });
        });
      };
      // Kysely passes true to discard a connection it saw fail, so the pool does not hand it out again.
      return { query, release: (destroy?: boolean) => client.release(destroy) } as PostgresPoolClient;
    },
  };
}

/**
 * PostgreSQL's refusal to run a prepared statement whose result columns
 * changed since it was prepared. Safe to retry once the statement has a new
 * name; inside a transaction, only by running the whole transaction again.
 */
export function isStalePlanError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: unknown }).code === '0A000' &&
    /cached plan must not change result type/.test(String((error as { message?: unknown }).message))
  );
}
