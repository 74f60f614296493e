import type { Insertable, Kysely } from 'kysely';
import type { Executor } from './executor.js';
import type { Database } from './schema.js';

/** Rows (or IN-list values) in one statement at most: 256 rows of 14 columns stay far below either engine's parameter limit. */
const MAX_BATCH = 256;

/**
 * Splits items into batches whose sizes are powers of two, largest first
 * (300 → 256, 32, 8, 4). Both engines' statement caches are keyed by SQL
 * text (sqlite-statements.ts, postgres-statements.ts), and a multi-row insert
 * or an IN list has one text per count: this way any number of items makes at
 * most nine texts per statement, not one per count ever used.
 */
export function powerOfTwoBatches<T>(items: readonly T[]): T[][] {
  const batches: T[][] = [];
  let start = 0;
  for (let size = MAX_BATCH; start < items.length; size = Math.max(1, size >> 1)) {
    while (items.length - start >= size) {
      batches.push(items.slice(start, start + size));
      start += size;
    }
  }
  return batches;
}

/** Inserts any number of rows with few statements (see powerOfTwoBatches). */
export async function insertRows<T extends keyof Database>(db: Executor, table: T, rows: readonly Insertable<Database[T]>[]): Promise<void> {
  for (const batch of powerOfTwoBatches(rows)) {
    // Kysely cannot type values() for a table chosen by a type parameter.
    await db.insertInto(table).values(batch as never).execute();
  }
}

/** The rows of `table` whose `column` is one of `values` (only the `select` columns, all text), in few statements (see powerOfTwoBatches). */
export async function selectWhereIn(db: Executor, table: keyof Database, column: string, values: readonly string[], select: readonly string[]): Promise<Record<string, string>[]> {
  // Kysely cannot type a select of a table and columns chosen at run time.
  const untyped = db as unknown as Kysely<Record<string, Record<string, string>>>;
  const rows: Record<string, string>[] = [];
  for (const batch of powerOfTwoBatches(values)) {
    rows.push(...(await untyped.selectFrom(table).select([...select]).where(column, 'in', batch).execute()));
  }
  return rows;
}
