import { sql, type Compilable, type CompiledQuery, type RawBuilder } from 'kysely';
import type { Executor } from './executor.js';
import { preparedQuery } from './prepared-query.js';

/** One part of a read: rows of `table` whose `key` column equals the argument, in `order`. */
export interface ReadPart {
  table: string;
  key: string;
  /** The columns returned, as they are named in the table. */
  columns: readonly string[];
  /** Those of them that hold numbers: read as text, so that they can share a result column with other parts' text. */
  numeric?: readonly string[];
  /** The column giving the rows' order; a part without one should return at most one row. */
  order?: string;
}

type Row = Record<string, unknown>;

/**
 * Reads several tables' rows for one ID as ONE statement (a UNION ALL), so
 * the result is one consistent snapshot on both engines without a
 * transaction, and one round trip on PostgreSQL. The parts share result
 * columns and PostgreSQL wants one type per column, so every value comes back
 * as text (numeric columns are cast); the result is one array of rows per
 * part, keyed by column name.
 */
export function unionRead(parts: readonly ReadPart[]): (db: Executor, id: string) => Promise<Row[][]> {
  const width = Math.max(...parts.map((p) => p.columns.length));
  const query = preparedQuery((db, a: { id: string }) => {
    const selects = parts.map((part, i) => {
      const values = Array.from({ length: width }, (_, c) => {
        const column = part.columns[c];
        const alias = sql.ref(`c${c}`);
        if (column === undefined) return sql`null as ${alias}`;
        return part.numeric?.includes(column) ? sql`cast(${sql.ref(column)} as text) as ${alias}` : sql`${sql.ref(column)} as ${alias}`;
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
