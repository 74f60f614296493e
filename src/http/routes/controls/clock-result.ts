import type { ControlledClock } from '../../../clock.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { badRequest } from '../../../domain/errors.js';
import { storableInstant } from '../../../domain/instants.js';
import { newestStoredInstant } from '../../../domain/newest-instant.js';

/** The clock's state as the controls answer it. */
export function clockResult(clock: ControlledClock) {
  const { now, frozen, real } = clock.state();
  return { now: now.toISOString(), frozen, real };
}

/**
 * Refuses a time the clock may not read: outside what can be stored, or
 * before the newest stored timestamp (the activity log stays in order).
 */
export async function assertClockMayRead(db: Kysely<Database>, at: number, field: string): Promise<void> {
  if (storableInstant(at) === undefined) throw badRequest(`Invalid '${field}': the clock must stay between 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z`);
  const newest = await newestStoredInstant(db);
  if (newest !== undefined && at < Date.parse(newest)) {
    throw badRequest(`Invalid '${field}': the clock cannot move before ${newest}, the newest stored timestamp (reset first to go back further)`);
  }
}
