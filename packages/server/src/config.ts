/**
 * Server configuration, parsed once at start-up from flags and environment
 * (flags win). Nothing else in src/ reads process.env.
 */
import ipaddr from 'ipaddr.js';
import { DEFAULT_POSTGRES_OPTIONS } from './db/database.js';
import { DEFAULT_BYOC_PROVISIONING_SECONDS } from './vocabulary/byoc.js';
import { parseDateBound } from './domain/date-range.js';
import { isValidIpSource } from './domain/keys/ip-access-list.js';

export interface RateLimitConfig {
  points: number;
  windowSeconds: number;
}

export interface ServerConfig {
  host: string;
  port: number;
  databaseUrl: string;
  /** null means rate limiting is off. */
  rateLimit: RateLimitConfig | null;
  /** Failed authentications (401s) allowed per client address and window; null means off. */
  failedAuthLimit: RateLimitConfig | null;
  /** Trust X-Forwarded-For from these proxy addresses/CIDRs (off when empty). */
  trustProxy: string[];
  limits: ConnectionLimits;
  postgres: { poolSize: number; statementTimeoutMs: number };
  /** Redis for the shared rate-limit counters (optional). */
  redisUrl?: string;
  /** Start-up tries this many times to reach the database, waitMs apart, then exits. */
  startup: { attempts: number; waitMs: number };
  /** How long a new invitation stays open, in milliseconds (default 7 days). */
  invitationTtlMs: number;
  /** How long a new BYOC infrastructure provisions, in seconds (0: ready at once). */
  byocProvisioningSeconds: number;
  /** The emulator controls under /_orgplane/ (`--controls`); null means off, and those paths are 404. */
  controls: ControlsConfig | null;
  /** Where the clock starts (`--clock`); null means real time. */
  clock: ClockStart | null;
  /** A fixture applied to an empty database at start and after every reset (`--seed`). */
  seedFile: string | null;
  /** A log line for every request (`--access-log`); off, only errors (4xx, 5xx) and slow requests are logged. */
  accessLog: boolean;
}

export interface ControlsConfig {
  /** When set, every control request needs `Authorization: Bearer <token>`; required off loopback. */
  token: string | null;
}

export interface ClockStart {
  at: Date;
  frozen: boolean;
}

/** Protection against slow and abusive clients. */
export interface ConnectionLimits {
  /** A request's headers must arrive within this. */
  headersTimeoutMs: number;
  /** A whole request (headers and body) must arrive within this. */
  requestTimeoutMs: number;
  /** Further connections are refused beyond this many open ones; near it, the longest-idle ones are closed. */
  maxConnections: number;
  /** Open connections one client address may hold (addresses in trustProxy are exempt: a proxy carries many clients). */
  maxConnectionsPerAddress: number;
  /** A keep-alive connection with no request in progress is closed this long after its last response. */
  keepAliveTimeoutMs: number;
  /** Bytes of answers not yet taken by the kernel that one client address may hold (trustProxy addresses are exempt). */
  maxUnsentBytesPerAddress: number;
  /** Bytes of answers not yet taken by the kernel that all connections together may hold. */
  maxUnsentBytes: number;
  /** A connection owing answers whose client takes fewer bytes per second than this, over a window, is closed. */
  minReadBytesPerSecond: number;
  /** The kernel's send buffer of each connection (SO_SNDBUF; Linux doubles it for its own bookkeeping). */
  sendBufferBytes: number;
}

export const DEFAULT_LIMITS: ConnectionLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  maxConnections: 1024,
  maxConnectionsPerAddress: 128,
  keepAliveTimeoutMs: 5000,
  maxUnsentBytesPerAddress: 16 * 1024 * 1024,
  maxUnsentBytes: 128 * 1024 * 1024,
  minReadBytesPerSecond: 4096,
  sendBufferBytes: 128 * 1024,
};

export const DEFAULT_DATABASE_URL = 'sqlite:./data/orgplane.db';
export const DEFAULT_RATE_LIMIT: RateLimitConfig = { points: 10, windowSeconds: 10 };
/** Generous for a mistyped secret or a rotation in progress, nothing for a guesser (see http/failed-auth-limit.ts). */
export const DEFAULT_FAILED_AUTH_LIMIT: RateLimitConfig = { points: 20, windowSeconds: 60 };
/** 5 attempts 2 s apart: a database that is still starting gets about 10 s, then start-up fails clearly. */
export const DEFAULT_STARTUP = { attempts: 5, waitMs: 2000 };

/** The default invitation lifetime (DEFAULT_INVITATION_TTL_MS of the domain). */
export const DEFAULT_INVITATION_TTL = '7d';

export class ConfigError extends Error {}

export interface ServeFlags {
  host?: string;
  port?: string;
  database?: string;
  rateLimit?: string;
  failedAuthLimit?: string;
  trustProxy?: string;
  headersTimeout?: string;
  requestTimeout?: string;
  maxConnections?: string;
  maxConnectionsPerAddress?: string;
  keepAliveTimeout?: string;
  maxUnsentPerAddress?: string;
  maxUnsent?: string;
  minReadRate?: string;
  sendBuffer?: string;
  pgPoolSize?: string;
  pgStatementTimeout?: string;
  redis?: string;
  dbConnectAttempts?: string;
  dbConnectInterval?: string;
  invitationTtl?: string;
  byocProvisioningSeconds?: string;
  controls?: boolean;
  controlsToken?: string;
  clock?: string;
  seed?: string;
  accessLog?: boolean;
}

export function parseRateLimit(value: string, name = 'rate limit'): RateLimitConfig | null {
  if (value === 'off') return null;
  const match = /^(\d+)\/(\d+)s$/.exec(value);
  const points = match ? Number(match[1]) : NaN;
  const windowSeconds = match ? Number(match[2]) : NaN;
  if (!match || points < 1 || windowSeconds < 1 || !Number.isSafeInteger(points) || !Number.isSafeInteger(windowSeconds)) {
    throw new ConfigError(`invalid ${name} "${value}": expected "off" or N/Ws, e.g. 10/10s`);
  }
  return { points, windowSeconds };
}

const DURATION_UNITS_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration such as 7d, 12h, 30m or 3600s: a positive integer and one unit (s, m, h, d), in milliseconds. */
export function parseDuration(name: string, value: string): number {
  const match = /^(\d+)([smhd])$/.exec(value);
  const ms = match ? Number(match[1]) * DURATION_UNITS_MS[match[2]!]! : NaN;
  if (!match || !(ms >= 1000) || !Number.isSafeInteger(ms)) {
    throw new ConfigError(`invalid ${name} "${value}": expected a positive whole number of s, m, h or d, e.g. 7d, 12h, 30m or 3600s`);
  }
  return ms;
}

export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new ConfigError(`invalid port "${value}": expected an integer from 0 to 65535`);
  }
  return port;
}

/** SO_SNDBUF is a C int, which the kernel doubles. */
const MAX_SEND_BUFFER_BYTES = 2 ** 30;

function parseSendBuffer(value: string | undefined): number {
  const bytes = parsePositiveInt('send buffer', value, DEFAULT_LIMITS.sendBufferBytes);
  if (bytes > MAX_SEND_BUFFER_BYTES) throw new ConfigError(`invalid send buffer "${value}": at most ${MAX_SEND_BUFFER_BYTES} bytes`);
  return bytes;
}

function parsePositiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || !Number.isSafeInteger(n)) throw new ConfigError(`invalid ${name} "${value}": expected a positive integer`);
  return n;
}

/** The longest provisioning time the option takes: a day, far beyond what a client polls for. */
export const MAX_BYOC_PROVISIONING_SECONDS = 86_400;

/** Whole seconds, 0 included (ready at once); unset gives the domain's default. */
export function parseByocProvisioningSeconds(value: string | undefined): number {
  if (value === undefined) return DEFAULT_BYOC_PROVISIONING_SECONDS;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > MAX_BYOC_PROVISIONING_SECONDS) {
    throw new ConfigError(`invalid BYOC provisioning seconds "${value}": expected a whole number of seconds from 0 to ${MAX_BYOC_PROVISIONING_SECONDS}`);
  }
  return n;
}

/** Comma-separated proxy addresses or CIDRs; the connection limits match client addresses against them too. */
export function parseTrustProxy(value: string): string[] {
  const entries = value.split(',').map((s) => s.trim()).filter(Boolean);
  const invalid = entries.find((entry) => !isValidIpSource(entry));
  if (invalid !== undefined) throw new ConfigError(`invalid trusted proxy "${invalid}": expected IP addresses or CIDRs, comma-separated`);
  return entries;
}

/** Long enough that it cannot be guessed within the failed-authentication limit's patience. */
export const MIN_CONTROLS_TOKEN_LENGTH = 16;

/**
 * The controls can empty the database and stop the clock, so anywhere but
 * loopback they need a token; a token makes them safe to reach, not public.
 */
export function parseControls(enabled: boolean, token: string | undefined, host: string): ControlsConfig | null {
  if (!enabled) {
    if (token !== undefined) throw new ConfigError('--controls-token is set but the controls are off: add --controls (or ORGPLANE_CONTROLS=1)');
    return null;
  }
  if (token !== undefined && (token.length < MIN_CONTROLS_TOKEN_LENGTH || !/^[\x21-\x7e]+$/.test(token))) {
    throw new ConfigError(`invalid controls token: expected at least ${MIN_CONTROLS_TOKEN_LENGTH} printable ASCII characters, no spaces`);
  }
  if (token === undefined && !isLoopback(host)) {
    throw new ConfigError(`--controls on ${host}, which is not a loopback address, needs --controls-token (or ORGPLANE_CONTROLS_TOKEN)`);
  }
  return { token: token ?? null };
}

/** An on/off environment variable: 1 or true, 0 or false (or unset); anything else is a mistake worth naming. */
function envSwitch(name: string, value: string | undefined): boolean {
  if (value === undefined || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  throw new ConfigError(`invalid ${name} "${value}": expected 1 or 0`);
}

function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (!ipaddr.isValid(host)) return false;
  const address = ipaddr.process(host);
  return address.range() === 'loopback';
}

/** `--clock 2026-01-01T00:00:00Z` (runs on from there) or `…,frozen` (stands still until moved). */
export function parseClockStart(value: string): ClockStart {
  const [instant, mode, ...rest] = value.split(',');
  if (rest.length > 0 || (mode !== undefined && mode !== 'frozen')) {
    throw new ConfigError(`invalid clock "${value}": expected an RFC 3339 date-time, optionally followed by ",frozen"`);
  }
  try {
    return { at: new Date(parseDateBound('clock', instant!, 'start')), frozen: mode === 'frozen' };
  } catch {
    throw new ConfigError(`invalid clock "${value}": expected an RFC 3339 date-time such as 2026-01-01T00:00:00Z, optionally followed by ",frozen"`);
  }
}

export function resolveDatabaseUrl(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return flag ?? env.ORGPLANE_DATABASE_URL ?? DEFAULT_DATABASE_URL;
}

export type DatabaseFlags = Pick<ServeFlags, 'database' | 'pgPoolSize' | 'pgStatementTimeout' | 'dbConnectAttempts' | 'dbConnectInterval'>;

/** What every command that opens the database needs: where it is, how to pool, how long to wait for it at start-up. */
export function loadDatabaseConfig(flags: DatabaseFlags, env: NodeJS.ProcessEnv): Pick<ServerConfig, 'databaseUrl' | 'postgres' | 'startup'> {
  return {
    databaseUrl: resolveDatabaseUrl(flags.database, env),
    postgres: {
      poolSize: parsePositiveInt('PostgreSQL pool size', flags.pgPoolSize ?? env.ORGPLANE_PG_POOL_SIZE, DEFAULT_POSTGRES_OPTIONS.poolSize),
      statementTimeoutMs: parsePositiveInt(
        'PostgreSQL statement timeout',
        flags.pgStatementTimeout ?? env.ORGPLANE_PG_STATEMENT_TIMEOUT_MS,
        DEFAULT_POSTGRES_OPTIONS.statementTimeoutMs,
      ),
    },
    startup: {
      attempts: parsePositiveInt('database connect attempts', flags.dbConnectAttempts ?? env.ORGPLANE_DB_CONNECT_ATTEMPTS, DEFAULT_STARTUP.attempts),
      waitMs: parsePositiveInt('database connect interval', flags.dbConnectInterval ?? env.ORGPLANE_DB_CONNECT_INTERVAL_MS, DEFAULT_STARTUP.waitMs),
    },
  };
}

export function loadServerConfig(flags: ServeFlags, env: NodeJS.ProcessEnv): ServerConfig {
  const rateLimit = flags.rateLimit ?? env.ORGPLANE_RATE_LIMIT;
  const failedAuthLimit = flags.failedAuthLimit ?? env.ORGPLANE_FAILED_AUTH_LIMIT;
  const trustProxy = flags.trustProxy ?? env.ORGPLANE_TRUST_PROXY ?? '';
  const redisUrl = flags.redis ?? env.ORGPLANE_REDIS_URL;
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl)) throw new ConfigError(`invalid Redis URL: expected redis://host:port`);
  const host = flags.host ?? env.ORGPLANE_HOST ?? '127.0.0.1';
  const clock = flags.clock ?? env.ORGPLANE_CLOCK;
  return {
    host,
    port: parsePort(flags.port ?? env.ORGPLANE_PORT ?? '8080'),
    ...loadDatabaseConfig(flags, env),
    rateLimit: rateLimit === undefined ? DEFAULT_RATE_LIMIT : parseRateLimit(rateLimit),
    failedAuthLimit: failedAuthLimit === undefined ? DEFAULT_FAILED_AUTH_LIMIT : parseRateLimit(failedAuthLimit, 'failed-authentication limit'),
    trustProxy: parseTrustProxy(trustProxy),
    limits: {
      headersTimeoutMs: parsePositiveInt('headers timeout', flags.headersTimeout ?? env.ORGPLANE_HEADERS_TIMEOUT_MS, DEFAULT_LIMITS.headersTimeoutMs),
      requestTimeoutMs: parsePositiveInt('request timeout', flags.requestTimeout ?? env.ORGPLANE_REQUEST_TIMEOUT_MS, DEFAULT_LIMITS.requestTimeoutMs),
      maxConnections: parsePositiveInt('max connections', flags.maxConnections ?? env.ORGPLANE_MAX_CONNECTIONS, DEFAULT_LIMITS.maxConnections),
      maxConnectionsPerAddress: parsePositiveInt(
        'max connections per address',
        flags.maxConnectionsPerAddress ?? env.ORGPLANE_MAX_CONNECTIONS_PER_ADDRESS,
        DEFAULT_LIMITS.maxConnectionsPerAddress,
      ),
      keepAliveTimeoutMs: parsePositiveInt('keep-alive timeout', flags.keepAliveTimeout ?? env.ORGPLANE_KEEP_ALIVE_TIMEOUT_MS, DEFAULT_LIMITS.keepAliveTimeoutMs),
      maxUnsentBytesPerAddress: parsePositiveInt(
        'max unsent bytes per address',
        flags.maxUnsentPerAddress ?? env.ORGPLANE_MAX_UNSENT_PER_ADDRESS,
        DEFAULT_LIMITS.maxUnsentBytesPerAddress,
      ),
      maxUnsentBytes: parsePositiveInt('max unsent bytes', flags.maxUnsent ?? env.ORGPLANE_MAX_UNSENT, DEFAULT_LIMITS.maxUnsentBytes),
      minReadBytesPerSecond: parsePositiveInt('minimum read rate', flags.minReadRate ?? env.ORGPLANE_MIN_READ_RATE, DEFAULT_LIMITS.minReadBytesPerSecond),
      sendBufferBytes: parseSendBuffer(flags.sendBuffer ?? env.ORGPLANE_SEND_BUFFER),
    },
    invitationTtlMs: parseDuration('invitation lifetime', flags.invitationTtl ?? env.ORGPLANE_INVITATION_TTL ?? DEFAULT_INVITATION_TTL),
    byocProvisioningSeconds: parseByocProvisioningSeconds(flags.byocProvisioningSeconds ?? env.ORGPLANE_BYOC_PROVISIONING_SECONDS),
    controls: parseControls(flags.controls === true || envSwitch('ORGPLANE_CONTROLS', env.ORGPLANE_CONTROLS), flags.controlsToken ?? env.ORGPLANE_CONTROLS_TOKEN, host),
    clock: clock === undefined ? null : parseClockStart(clock),
    seedFile: flags.seed ?? env.ORGPLANE_SEED ?? null,
    accessLog: flags.accessLog === true || envSwitch('ORGPLANE_ACCESS_LOG', env.ORGPLANE_ACCESS_LOG),
    ...(redisUrl ? { redisUrl } : {}),
  };
}
