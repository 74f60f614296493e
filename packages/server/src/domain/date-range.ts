import { ApiError } from './errors.js';
import { INSTANT_RANGE, storableInstant } from './instants.js';

/**
 * The activity list's from_date/to_date filters. Both bounds are inclusive and
 * accept an RFC 3339 date-time or a plain YYYY-MM-DD date (which the official
 * CLI sends): a plain from_date means the start of that UTC day, a plain
 * to_date its last millisecond.
 */
export interface DateRange {
  from?: string;
  to?: string;
}

/** A 400 naming the query parameter. */
export class DateRangeError extends ApiError {
  constructor(readonly field: string, reason: string) {
    super('BAD_REQUEST', `Invalid query parameter '${field}': ${reason}`);
  }
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

function validCalendarDate(y: number, m: number, d: number): boolean {
  // setUTCFullYear, not Date.UTC, which reads years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d);
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Parses one bound into an ISO-8601 UTC string with milliseconds, or throws DateRangeError. */
export function parseDateBound(field: string, value: string, edge: 'start' | 'end'): string {
  const invalid = () =>
    new DateRangeError(field, `${field} must be an RFC 3339 date-time (2025-01-31T12:00:00Z) or a date (2025-01-31)`);
  const dateOnly = DATE_ONLY.exec(value);
  if (dateOnly) {
    const [y, m, d] = [Number(dateOnly[1]), Number(dateOnly[2]), Number(dateOnly[3])];
    if (!validCalendarDate(y, m, d)) throw invalid();
    return `${dateOnly[1]}-${dateOnly[2]}-${dateOnly[3]}T${edge === 'start' ? '00:00:00.000' : '23:59:59.999'}Z`;
  }
  const dateTime = DATE_TIME.exec(value);
  if (!dateTime) throw invalid();
  const [y, m, d, hh, mm, ss] = dateTime.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (!validCalendarDate(y, m, d) || hh > 23 || mm > 59 || ss > 59) throw invalid();
  const offset = dateTime[8]!;
  if (offset !== 'Z' && offset !== 'z' && (Number(offset.slice(1, 3)) > 23 || Number(offset.slice(4, 6)) > 59)) throw invalid();
  const millis = Date.parse(value.replace(' ', 'T'));
  if (Number.isNaN(millis)) throw invalid();
  // Fractions finer than a millisecond: an inclusive end keeps the whole millisecond it falls in.
  const instant = storableInstant(millis);
  if (instant === undefined) throw new DateRangeError(field, `${field} must be ${INSTANT_RANGE}`);
  return instant;
}

export function parseDateRange(fromDate: string | undefined, toDate: string | undefined): DateRange {
  const range: DateRange = {};
  if (fromDate !== undefined) range.from = parseDateBound('from_date', fromDate, 'start');
  if (toDate !== undefined) range.to = parseDateBound('to_date', toDate, 'end');
  if (range.from !== undefined && range.to !== undefined && range.from > range.to) {
    throw new DateRangeError('from_date', 'from_date must not be after to_date');
  }
  return range;
}

/** Whether a value is a plain YYYY-MM-DD date that exists in the calendar (usage cost takes days, not instants). */
export function isCalendarDate(value: string): boolean {
  const match = DATE_ONLY.exec(value);
  return match !== null && validCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The date `days` days after a YYYY-MM-DD date (before it when negative), in UTC. */
export function addDays(date: string, days: number): string {
  const at = new Date(0);
  at.setUTCFullYear(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)) + days);
  return at.toISOString().slice(0, 10);
}

/** Whole days from one YYYY-MM-DD date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const at = (date: string) => {
    const d = new Date(0);
    d.setUTCFullYear(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
    return d.getTime();
  };
  return Math.round((at(to) - at(from)) / DAY_MS);
}

/** The UTC date of an instant, YYYY-MM-DD. */
export function utcDate(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/**
 * A usage period: two plain dates, `to` not before `from` and at most
 * `maxDays` days after it (both inclusive); each violation refused naming the
 * parameter (by default a DateRangeError for the from_date and to_date query
 * parameters; the operator CLI names its options).
 */
export function parseDayRange(
  from: string,
  to: string,
  maxDays: number,
  fields: { from: string; to: string } = { from: 'from_date', to: 'to_date' },
  refuse: (field: string, reason: string) => Error = (field, reason) => new DateRangeError(field, reason),
): { from: string; to: string } {
  for (const [field, value] of [[fields.from, from], [fields.to, to]] as const) {
    if (!isCalendarDate(value)) throw refuse(field, `${field} must be a date (YYYY-MM-DD, e.g. 2025-01-31)`);
  }
  const days = daysBetween(from, to);
  if (days < 0) throw refuse(fields.to, `${fields.to} must not be before ${fields.from}`);
  if (days > maxDays) throw refuse(fields.to, `${fields.to} must be at most ${maxDays} days after ${fields.from} (a period of at most ${maxDays + 1} days)`);
  return { from, to };
}
