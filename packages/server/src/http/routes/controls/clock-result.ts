import type { ControlledClock } from '../../../clock.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { badRequest } from '../../../domain/errors.js';
import { INSTANT_RANGE, storableInstant } from '../../../domain/instants.js';
import { storedAfter } from '../../../domain/newest-instant.js';

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
  if (storableInstant(at) === undefined) throw badRequest(`Invalid '${field}': the clock must stay ${INSTANT_RANGE}`);
  const newest = await storedAfter(db, at);
  if (newest !== undefined) {
    throw badRequest(`Invalid '${field}': the clock cannot move before ${newest}, the newest stored timestamp (reset first to go back further)`);
  }
}
