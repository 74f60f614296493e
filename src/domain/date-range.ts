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
