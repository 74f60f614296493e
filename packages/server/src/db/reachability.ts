import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/** One cheap round trip; rejects when the database cannot answer within timeoutMs. */
export async function pingDatabase(db: Kysely<Database>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([sql`select 1`.execute(db), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export class DatabaseUnreachableError extends Error {}

/** Start-up: a bounded number of attempts, then a clear error instead of hanging or crashing. */
export async function waitForDatabase(db: Kysely<Database>, displayUrl: string, attempts: number, delayMs: number): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await pingDatabase(db, 5000);
      return;
    } catch (err) {
      if (attempt >= attempts) {
        throw new DatabaseUnreachableError(`cannot reach the database at ${displayUrl} after ${attempts} attempts: ${(err as Error).message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
