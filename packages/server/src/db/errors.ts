/**
 * What a database error means, for both engines: callers see domain errors,
 * never driver codes.
 */

// "The database is not reachable right now" rather than a bug: network errors, SQLite lock
// time-outs, PostgreSQL admin shutdown / cancel / connection / idle-in-transaction exceptions,
// and node-postgres's and ioredis's own code-less connection messages.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'SQLITE_BUSY',
  '57P01', '57P02', '57P03', '57014', '08000', '08001', '08003', '08004', '08006', '53300', '25P03',
]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended|Query read timeout|enableOfflineQueue|Connection is closed/;

// PostgreSQL refuses text it cannot store (e.g. a NUL byte) where SQLite would not: the input's fault.
const UNSTORABLE_TEXT_CODES = new Set(['22021', '22P05']);

const UNIQUE_VIOLATION_CODES = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY', '23505']);

function codeOf(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code;
}

export function isUnavailableError(error: unknown): boolean {
  const code = codeOf(error);
  const message = (error as { message?: unknown } | null)?.message;
  return (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) || (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message));
}

export function isUnstorableTextError(error: unknown): boolean {
  return UNSTORABLE_TEXT_CODES.has(String(codeOf(error)));
}

export function isUniqueViolation(error: unknown): boolean {
  return UNIQUE_VIOLATION_CODES.has(String(codeOf(error)));
}
