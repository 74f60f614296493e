import { Writable } from 'node:stream';
import { buildApp } from '../../src/app.js';
import { ControlledClock, systemClock, type Clock } from '../../src/clock.js';
import type { ConnectionLimits, RateLimitConfig } from '../../src/config.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { bootstrapOrganization } from '../../src/domain/bootstrap.js';
import { type Domain } from '../../src/domain/domain.js';
import { createDomain } from '../../src/domain/create-domain.js';
import type { KeyRole } from '../../src/vocabulary/key-roles.js';
import { createLogger } from '../../src/logger.js';
import type { App } from '../../src/http/app-instance.js';
import { createTestDatabase, type Backend } from './backends.js';

export interface Credentials {
  keyId: string;
  keySecret: string;
}

export interface TestServer {
  url: string;
  app: App;
  database: DatabaseHandle;
  /** The database's URL, for operator CLI commands run against the same data. */
  databaseUrl: string;
  /** The services' shared state, as the app uses it (for calling services directly). */
  domain: Domain;
  /** The file behind the SQLite database (for byte scans), when there is one. */
  databaseFile?: string;
  /** The emulator clock, when the server serves the controls. */
  clock?: ControlledClock;
  /** Every log line the server wrote, raw. */
  logs: string[];
  organizationId: string;
  admin: Credentials;
  /** Creates another organization with one key of the given role, as `orgplane bootstrap` does. */
  bootstrap(orgName: string, role?: KeyRole): Promise<Credentials & { organizationId: string }>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  backend?: Backend;
  rateLimit?: RateLimitConfig | null;
  /** The failed-authentication limit per client address (`--failed-auth-limit`); off by default, as tests make many 401s on purpose. */
  failedAuthLimit?: RateLimitConfig | null;
  clock?: Clock;
  limits?: Partial<ConnectionLimits>;
  /** Addresses or CIDRs whose X-Forwarded-For is trusted (`--trust-proxy`); none by default. */
  trustProxy?: string[];
  /** Serves the emulator controls (`--controls`, with `--controls-token` when a token is given); the clock is then a ControlledClock. */
  controls?: { token?: string; journalSize?: number };
  /** How long a new BYOC infrastructure provisions (`--byoc-provisioning-seconds`); the server's default when absent. */
  byocProvisioningSeconds?: number;
  /** A log line for every request (`--access-log`); off by default, as in serve. */
  accessLog?: boolean;
}

/**
 * A real server on a free loopback port, on a fresh, migrated database of the
 * given backend (default SQLite), with one organization and one admin key.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const testDb = await createTestDatabase(options.backend ?? 'sqlite');
  const database = openDatabase(testDb.url);
  await migrateToLatest(database);
  const controlledClock = options.controls ? new ControlledClock() : undefined;
  const clock = controlledClock ?? options.clock ?? systemClock;
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const domain = createDomain(database, clock, undefined, options.byocProvisioningSeconds === undefined ? {} : { byocProvisioningSeconds: options.byocProvisioningSeconds });
  const app = await buildApp({
    config: { rateLimit: options.rateLimit === undefined ? null : options.rateLimit, failedAuthLimit: options.failedAuthLimit ?? null, trustProxy: options.trustProxy ?? [], accessLog: options.accessLog === true, ...(options.limits ? { limits: options.limits } : {}) },
    database,
    domain,
    logger: createLogger(sink),
    ...(options.controls ? { controls: { token: options.controls.token ?? null, clock: controlledClock!, journalSize: options.controls.journalSize } } : {}),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const bootstrap = async (orgName: string, role: KeyRole = 'admin') =>
    bootstrapOrganization(domain, { organizationName: orgName, keyName: `${role} key`, role }, 'bootstrap');
  const first = await bootstrap('Test organization');
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    database,
    databaseUrl: testDb.url,
    domain,
    ...(controlledClock ? { clock: controlledClock } : {}),
    ...(testDb.file ? { databaseFile: testDb.file } : {}),
    logs,
    organizationId: first.organizationId,
    admin: { keyId: first.keyId, keySecret: first.keySecret },
    bootstrap,
    async close() {
      await app.close();
      await database.close();
      await testDb.drop();
    },
  };
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON body (every response of the server is JSON). */
  body: any;
  text: string;
}

export interface RequestOptions {
  auth?: Credentials | string | null;
  body?: unknown;
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
}

export function basic({ keyId, keySecret }: Credentials): string {
  return `Basic ${Buffer.from(`${keyId}:${keySecret}`).toString('base64')}`;
}

/**
 * Whether fetch failed on a kept-alive connection that had answered before and
 * closed before this request's answer began: the server closing it at its
 * keep-alive timeout as the request went out. A test that runs the CLI
 * synchronously (runCli) several times in a row blocks its event loop past
 * that timeout, so fetch cannot see the close before it reuses the connection.
 * The server never read such a request; request() sends it once more, on a new
 * connection (which has answered nothing, so it is not sent a third time).
 */
function closedWhileIdle(err: unknown): boolean {
  const cause = (err as { cause?: { code?: string; socket?: { bytesRead?: number } } }).cause;
  return cause?.code === 'UND_ERR_SOCKET' && (cause.socket?.bytesRead ?? 0) > 0;
}

/** One HTTP request; `auth` is credentials, a raw Authorization value, or null for none. */
export async function request(server: { url: string }, method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.auth) headers.authorization = typeof options.auth === 'string' ? options.auth : basic(options.auth);
  let body: string | Blob | undefined;
  if (options.rawBody !== undefined) body = typeof options.rawBody === 'string' ? options.rawBody : new Blob([new Uint8Array(options.rawBody)]);
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${server.url}${path}`, { method, headers, body }).catch((err: unknown) => {
    if (!closedWhileIdle(err)) throw err;
    return fetch(`${server.url}${path}`, { method, headers, body });
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}
