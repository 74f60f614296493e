/**
 * The instants orgplane stores, formats and compares: years 0000 to 9999 in
 * UTC, as RFC 3339 can write them. An offset can carry a valid-looking input
 * past either end (9999-12-31T23:59:59-23:59 is in year 10000), where
 * toISOString writes a six-digit year that sorts wrongly as text and that no
 * date-time reader accepts, so every input instant is checked here before
 * anything is written.
 */
const EARLIEST = Date.parse('0000-01-01T00:00:00.000Z');
/** The last instant that can be stored: where the emulator's clock stops. */
export const LATEST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');

export const INSTANT_RANGE = 'between 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC)';

/** The instant as ISO-8601 UTC with milliseconds, or undefined when it is not one or is outside the storable range. */
export function storableInstant(millis: number): string | undefined {
  if (Number.isNaN(millis) || millis < EARLIEST || millis > LATEST_INSTANT) return undefined;
  return new Date(millis).toISOString();
}
