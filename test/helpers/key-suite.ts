import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { createDomain } from '../../src/domain/domain.js';
import { buildApp } from '../../src/app.js';
import type { Clock } from '../../src/clock.js';
import type { RateLimitConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { request, type ApiResponse, type Credentials, type RequestOptions, type TestServer } from './server.js';

// Shared pieces of the key-management suites (test/integration/keys-*.test.ts).

/** The vendor's ApiKeyHashData algorithm, computed independently of the server: base64(sha256(value)). */
export const sha256Base64 = (value: string): string => createHash('sha256').update(value, 'utf8').digest('base64');

export const UNKNOWN_UUID = '6a0e1e0c-5b6f-4c7e-9d1f-1f2e3d4c5b6a';

export interface IssuedKey extends Credentials {
  /** The key's UUID (ApiKey.id). */
  id: string;
  /** The ApiKey object of the create response. */
  key: any;
}

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

/**
 * A thin client over one organization's /keys API that remembers every
 * credential it ever saw issued, for the final "no secret anywhere" scans.
 */
export class KeyApi {
  readonly issued: Credentials[] = [];

  constructor(
    readonly server: TestServer,
    /** Where requests go (defaults to the server itself; an extra listener of the same server also works). */
    readonly target: { url: string } = server,
    readonly organizationId: string = server.organizationId,
    readonly admin: Credentials = server.admin,
  ) {
    this.issued.push(admin);
  }

  get keysPath(): string {
    return `/v1/organizations/${this.organizationId}/keys`;
  }
  keyPath(id: string): string {
    return `${this.keysPath}/${id}`;
  }

  call(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
    return request(this.target, method, path, { auth: this.admin, ...options });
  }

  /** Remembers a credential issued elsewhere (bootstrap, hashData). */
  remember(credentials: Credentials): void {
    this.issued.push(credentials);
  }

  async createRaw(body: unknown, auth: Credentials | null = this.admin): Promise<ApiResponse> {
    const res = await this.call('POST', this.keysPath, { auth, body });
    if (res.status === 200 && res.body.result.keyId) this.issued.push({ keyId: res.body.result.keyId, keySecret: res.body.result.keySecret });
    return res;
  }

  /** Creates a key (200 asserted) and returns its pair and UUID. */
  async create(body: Record<string, unknown> = {}): Promise<IssuedKey> {
    const res = await this.createRaw({ name: 'test key', roles: ['admin'], ...body });
    assert.equal(res.status, 200, res.text);
    const { key, keyId, keySecret } = res.body.result;
    return { id: key.id, key, keyId, keySecret };
  }

  async list(): Promise<any[]> {
    const res = await this.call('GET', this.keysPath);
    assert.equal(res.status, 200, res.text);
    return res.body.result;
  }

  async get(id: string): Promise<any> {
    const res = await this.call('GET', this.keyPath(id));
    assert.equal(res.status, 200, res.text);
    return res.body.result;
  }

  patch(id: string, body: unknown, auth: Credentials = this.admin): Promise<ApiResponse> {
    return this.call('PATCH', this.keyPath(id), { auth, body });
  }

  async patchOk(id: string, body: unknown): Promise<any> {
    const res = await this.patch(id, body);
    assert.equal(res.status, 200, res.text);
    return res.body.result;
  }

  delete(id: string, auth: Credentials = this.admin): Promise<ApiResponse> {
    return this.call('DELETE', this.keyPath(id), { auth });
  }

  /** The organization's activities, newest first. */
  async activities(): Promise<any[]> {
    const res = await this.call('GET', `/v1/organizations/${this.organizationId}/activities`);
    assert.equal(res.status, 200, res.text);
    return res.body.result;
  }

  /** The activities written since a snapshot taken with activities() (newest first). */
  async activitiesSince(before: any[]): Promise<any[]> {
    const seen = new Set(before.map((a) => a.id));
    return (await this.activities()).filter((a) => !seen.has(a.id));
  }

  /** The admin key's own UUID (the actorId of its activities). */
  async adminKeyId(): Promise<string> {
    const keys = await this.list();
    const mine = keys.filter((k) => k.keySuffix === this.admin.keyId.slice(-4));
    assert.equal(mine.length, 1, 'the admin key is found by its suffix');
    return mine[0].id;
  }

  /** Status of a plain authenticated read with the given credentials. */
  async probe(credentials: Credentials, path = '/v1/organizations'): Promise<number> {
    return (await request(this.target, 'GET', path, { auth: credentials })).status;
  }
}

/** The key list and activity list, for "nothing changed" checks (usedAt is dropped: reads may touch it). */
export async function snapshot(api: KeyApi): Promise<{ keys: unknown[]; activities: unknown[] }> {
  const keys = (await api.list()).map(({ usedAt: _usedAt, ...rest }) => rest);
  return { keys, activities: await api.activities() };
}

/**
 * Another listener for the same database on the dual-stack wildcard address "::",
 * so the suite can connect over IPv6 ([::1]) and see IPv4 clients as IPv4-mapped
 * (::ffff:127.0.0.1), as a server bound to :: does in production. Its log lines
 * are appended to server.logs (they are scanned for secrets too).
 */
export async function listenDualStack(
  server: TestServer,
  options: { clock?: Clock; rateLimit?: RateLimitConfig | null } = {},
): Promise<{ v4: { url: string }; v6: { url: string }; close(): Promise<void> }> {
  const sink = new Writable({
    write(chunk, _enc, done) {
      server.logs.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const app = await buildApp({
    config: { rateLimit: options.rateLimit ?? null, trustProxy: [] },
    database: server.database,
    domain: createDomain(server.database, options.clock ?? { now: () => new Date() }),
    logger: createLogger(sink),
  });
  await app.listen({ host: '::', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { v4: { url: `http://127.0.0.1:${port}` }, v6: { url: `http://[::1]:${port}` }, close: () => app.close() };
}

/** Everything the database holds, as text: the SQLite file and its WAL bytes, or every PostgreSQL table's rows. */
export type StoredState = Pick<TestServer, 'database' | 'databaseFile' | 'logs'>;

export async function databaseText(server: Pick<StoredState, 'database' | 'databaseFile'>): Promise<string> {
  if (server.databaseFile) {
    const files = [server.databaseFile, `${server.databaseFile}-wal`].filter(existsSync);
    return Buffer.concat(files.map((f) => readFileSync(f))).toString('latin1');
  }
  const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'public'`.execute(server.database.db);
  const dumps: string[] = [];
  for (const { table_name } of tables.rows) {
    const rows = await sql`select * from ${sql.table(table_name)}`.execute(server.database.db);
    dumps.push(JSON.stringify(rows.rows));
  }
  return dumps.join('\n');
}

/** Asserts that no issued key ID or secret appears in the database or the server's logs. */
export async function assertNoCredentialsStored(server: StoredState, issued: Credentials[]): Promise<void> {
  assert.ok(issued.length > 1, 'the suite issued keys to look for');
  const stored = await databaseText(server);
  assert.ok(stored.length > 0);
  const logs = server.logs.join('\n');
  assert.ok(logs.length > 0);
  for (const { keyId, keySecret } of issued) {
    assert.equal(stored.includes(keyId), false, `key ID …${keyId.slice(-4)} found in the database`);
    assert.equal(stored.includes(keySecret), false, `secret of …${keyId.slice(-4)} found in the database`);
    assert.equal(logs.includes(keyId), false, `key ID …${keyId.slice(-4)} found in the logs`);
    assert.equal(logs.includes(keySecret), false, `secret of …${keyId.slice(-4)} found in the logs`);
  }
}

/** Polls fn every 50 ms until it returns true or timeoutMs passes; returns the last result. */
export async function eventually(fn: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await fn()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
