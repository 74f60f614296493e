import type { Compilable, CompiledQuery, QueryResult } from 'kysely';
import type { Executor } from './executor.js';

interface Compiled {
  query: CompiledQuery;
  /** For each compiled parameter: the name of the argument that fills it, or undefined for a constant. */
  slots: (string | undefined)[];
}

/**
 * A query on the hot path, written once with Kysely's builder, compiled once
 * per database (dialect), then run with fresh argument values. Building and
 * compiling a Kysely query costs several times more than executing a small
 * indexed SQLite statement, and requests repeat the same few queries.
 *
 * `build` receives stand-ins for the named arguments, so each must go straight
 * into the query as a value (no branching on it, no IN lists of varying
 * length); the first compile checks that every argument read became a parameter.
 */
export interface PreparedQuery<A extends Record<string, unknown>, R> {
  execute(db: Executor, args: A): Promise<QueryResult<R>>;
  all(db: Executor, args: A): Promise<R[]>;
  first(db: Executor, args: A): Promise<R | undefined>;
}

const STAND_IN = /^\u0000orgplane-argument:(.+)\u0000$/;

export function preparedQuery<A extends Record<string, unknown>, R>(build: (db: Executor, args: A) => Compilable<R>): PreparedQuery<A, R> {
  // Keyed by the dialect adapter, which a Kysely instance shares with its transactions.
  const byAdapter = new WeakMap<object, Compiled>();

  function compile(db: Executor): Compiled {
    const adapter = db.getExecutor().adapter;
    let compiled = byAdapter.get(adapter);
    if (compiled) return compiled;
    const read = new Set<string>();
    const standIns = new Proxy({} as A, {
      get: (_, name) => {
        read.add(String(name));
        return `\u0000orgplane-argument:${String(name)}\u0000`;
      },
    });
    const query = build(db, standIns).compile();
    const slots = query.parameters.map((p) => (typeof p === 'string' ? STAND_IN.exec(p)?.[1] : undefined));
    for (const name of read) {
      if (!slots.includes(name)) throw new Error(`prepared query argument "${name}" is not a query value: ${query.sql}`);
    }
    compiled = { query, slots };
    byAdapter.set(adapter, compiled);
    return compiled;
  }

  async function execute(db: Executor, args: A): Promise<QueryResult<R>> {
    const { query, slots } = compile(db);
    const parameters = slots.map((name, i) => (name === undefined ? query.parameters[i] : args[name]));
    return db.executeQuery<R>({ ...query, parameters } as CompiledQuery<R>);
  }

  return {
    execute,
    all: async (db, args) => (await execute(db, args)).rows,
    first: async (db, args) => (await execute(db, args)).rows[0],
  };
}
