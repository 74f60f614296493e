import type pg from 'pg';
import { to as copyTo, type CopyToStreamQuery } from 'pg-copy-streams';

/** What a `COPY (…) TO STDOUT` statement gives back through Kysely: one row holding all of the copied text. */
export interface CopiedText {
  copy: Buffer;
}

/** Whether Kysely hands the pool a `COPY … TO STDOUT` statement (see copyOut). */
export function isCopyOut(sql: string): boolean {
  return /^copy \(.*\) to stdout$/is.test(sql);
}

/**
 * Runs a `COPY (query) TO STDOUT` in PostgreSQL's text format and answers with
 * all of its text as one buffer: rows end with a newline, fields are separated
 * by tabs, a null is `\N`, and backslash escapes the rest (copy-text-json.ts
 * reads it). The text never becomes JS strings, which is what makes COPY
 * cheaper here than rows: node-postgres turns every field of every row into a
 * string (figures in docs/PERFORMANCE.md).
 *
 * COPY takes no parameters, so Kysely's `$n` placeholders are replaced by the
 * values as quoted literals (node-postgres' escapeLiteral). The query is one
 * Kysely compiled, so a `$` followed by digits outside a placeholder could
 * only come from a string literal; there is none, and one would be refused.
 */
export function copyOut(client: pg.PoolClient, sql: string, parameters: ReadonlyArray<unknown>): Promise<{ rows: CopiedText[] }> {
  if (sql.includes("'")) return Promise.reject(new Error('a COPY statement with parameters must not hold string literals'));
  const text = sql.replace(/\$(\d+)/g, (_, n: string) => literal(client, parameters[Number(n) - 1]));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const stream: CopyToStreamQuery & { callback?: () => void } = client.query(copyTo(text));
    // The pool's query_timeout arms a timer per statement that only the query's `callback` clears, and
    // pg-copy-streams' COPY TO never calls it (its issue #156): each page's timer then held its stream, and
    // every network chunk of the page, for the timeout's 6 s, hundreds of megabytes in a full list
    // (docs/PERFORMANCE.md). Calling it once the COPY is over ends the timer.
    const settle = () => {
      stream.callback?.();
      chunks.length = 0;
    };
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const copy = Buffer.concat(chunks);
      settle();
      resolve({ rows: [{ copy }] });
    });
    stream.on('error', (error) => {
      settle();
      reject(error);
    });
  });
}

function literal(client: pg.PoolClient, value: unknown): string {
  if (typeof value === 'string') return client.escapeLiteral(value);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new Error(`a COPY statement's parameter must be a string or a finite number, not ${typeof value}`);
}
