import { sql, type Compilable, type CompiledQuery, type RawBuilder } from 'kysely';
import type { Executor } from './executor.js';
import { preparedQuery } from './prepared-query.js';

/** One part of a read: rows of `table` whose `key` column equals the argument, in `order`. */
export interface ReadPart {
  table: string;
  key: string;
  /** The columns returned, as they are named in the table. */
  columns: readonly string[];
  /** The column giving the rows' order; a part without one should return at most one row. */
  order?: string;
}

type Row = Record<string, unknown>;

/**
 * Reads several tables' rows for one ID as ONE statement (a UNION ALL), so
 * the result is one consistent snapshot on both engines without a
 * transaction, and one round trip on PostgreSQL. Every value comes back as
 * text (the parts share their columns, and PostgreSQL wants one type per
 * column); the result is one array of rows per part, keyed by column name.
 */
export function unionRead(parts: readonly ReadPart[]): (db: Executor, id: string) => Promise<Row[][]> {
  const width = Math.max(...parts.map((p) => p.columns.length));
  const query = preparedQuery((db, a: { id: string }) => {
    const selects = parts.map((part, i) => {
      const values = Array.from({ length: width }, (_, c) => {
        const column = part.columns[c];
        return column === undefined ? sql`cast(null as text) as ${sql.ref(`c${c}`)}` : sql`cast(${sql.ref(column)} as text) as ${sql.ref(`c${c}`)}`;
      });
      const order = part.order === undefined ? sql.lit(0) : sql.ref(part.order);
      return sql`select ${sql.lit(i)} as part, ${order} as ord, ${sql.join(values)} from ${sql.table(part.table)} where ${sql.ref(part.key)} = ${a.id}`;
    });
    const raw: RawBuilder<Row> = sql`${sql.join(selects, sql` union all `)} order by part, ord`;
    return { compile: (): CompiledQuery<Row> => raw.compile(db) } satisfies Compilable<Row>;
  });
  return async (db, id) => {
    const grouped: Row[][] = parts.map(() => []);
    for (const row of await query.all(db, { id })) {
      const i = Number(row.part);
      const part = parts[i]!;
      const out: Row = {};
      part.columns.forEach((column, c) => (out[column] = row[`c${c}`]));
      grouped[i]!.push(out);
    }
    return grouped;
  };
}
