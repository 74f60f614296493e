/**
 * Server configuration, parsed once at start-up from flags and environment
 * (flags win). Nothing else in src/ reads process.env.
 */
import { DEFAULT_POSTGRES_OPTIONS } from './db/database.js';
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
}

export const DEFAULT_LIMITS: ConnectionLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  maxConnections: 1024,
  maxConnectionsPerAddress: 128,
  keepAliveTimeoutMs: 5000,
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
  pgPoolSize?: string;
  pgStatementTimeout?: string;
  redis?: string;
  dbConnectAttempts?: string;
  dbConnectInterval?: string;
  invitationTtl?: string;
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

function parsePositiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || !Number.isSafeInteger(n)) throw new ConfigError(`invalid ${name} "${value}": expected a positive integer`);
  return n;
}

/** Comma-separated proxy addresses or CIDRs; the connection limits match client addresses against them too. */
export function parseTrustProxy(value: string): string[] {
  const entries = value.split(',').map((s) => s.trim()).filter(Boolean);
  const invalid = entries.find((entry) => !isValidIpSource(entry));
  if (invalid !== undefined) throw new ConfigError(`invalid trusted proxy "${invalid}": expected IP addresses or CIDRs, comma-separated`);
  return entries;
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
  return {
    host: flags.host ?? env.ORGPLANE_HOST ?? '127.0.0.1',
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
    },
    invitationTtlMs: parseDuration('invitation lifetime', flags.invitationTtl ?? env.ORGPLANE_INVITATION_TTL ?? DEFAULT_INVITATION_TTL),
    ...(redisUrl ? { redisUrl } : {}),
  };
}
