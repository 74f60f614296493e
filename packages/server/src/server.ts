import closeWithGrace from 'close-with-grace';
import type { Logger } from 'pino';
import { buildApp } from './app.js';
import { ControlledClock, systemClock, type Clock } from './clock.js';
import { ConfigError, type ClockStart, type ServerConfig } from './config.js';
import { createRequire } from 'node:module';
import type { Redis as RedisClient } from 'ioredis';
import { openDatabase, redactUrl, type DatabaseHandle } from './db/database.js';
import type { FileLock } from './db/file-lock.js';
import { applyMigrations, withStartupLock } from './db/migrate.js';
import { holdServeLock } from './db/serve-lock.js';
import { nativeAddon } from './native-addon.js';
import { waitForDatabase } from './db/reachability.js';
import { bootstrapOrganization, type BootstrapResult } from './domain/bootstrap.js';
import { createDomain } from './domain/create-domain.js';
import { ApiError } from './domain/errors.js';
import { readFixtureFile } from './domain/fixtures/fixture-file.js';
import type { Fixture } from './domain/fixtures/fixture-schema.js';
import { applyFixture, type SeedSummary } from './domain/fixtures/seed.js';
import { storedAfter } from './domain/newest-instant.js';
import { countOrganizations } from './domain/organizations/organization.repository.js';
import type { App } from './http/app-instance.js';

export interface RunningServer {
  app: App;
  database: DatabaseHandle;
  url: string;
  /** Set when this start created the first organization and its admin key. */
  firstStart?: BootstrapResult;
  /** Set when this start applied the --seed fixture to an empty database. */
  seeded?: SeedSummary;
  close(): Promise<void>;
}

export interface StartOptions {
  /**
   * Called as soon as this start has created the first organization and its admin key, before
   * anything that can still fail (building the app, listening): the credential exists from then
   * on, and a start that fails later must not leave the only admin secret unseen.
   */
  onFirstStart?(result: BootstrapResult): void;
  /** A fixture already read and validated, used as `--seed` is (orgplane/testing passes one it holds as a value). */
  seed?: Fixture;
}

const NO_ADDON =
  "orgplane's native addon was not built (npm install needs a C compiler): SQLite revision checks read the WAL index with a system call, and connections keep the kernel's send buffer (README: The native addon)";

/** Opens and migrates the database, creates the first organization on an empty one, and listens. */
export async function startServer(config: ServerConfig, logger: Logger, options: StartOptions = {}): Promise<RunningServer> {
  // Read before anything opens, so that a broken fixture is a configuration error and touches nothing.
  const seed = options.seed ?? (config.seedFile === null ? undefined : loadSeed(config.seedFile));
  const database = openDatabase(config.databaseUrl, config.postgres);
  let serveLock: FileLock | undefined;
  try {
    serveLock = database.file ? holdServeLock(database.file, config.rateLimit !== null && !config.redisUrl) : undefined;
  } catch (err) {
    await database.close();
    throw err;
  }
  // Without the offline queue a Redis outage fails a counter update at once, and the rate limiter
  // falls back to PostgreSQL or memory (see rate-limit.ts) instead of holding the request.
  const redis = config.redisUrl ? connectRedis(config.redisUrl) : undefined;
  let redisError: Error | undefined;
  redis?.on('error', (err) => {
    redisError = err;
    logger.warn({ err: { message: err.message } }, 'redis unavailable');
  });
  try {
    await waitForDatabase(database.db, database.displayUrl, config.startup.attempts, config.startup.waitMs);
    await redis?.connect().catch(() => {
      throw new Error(`cannot reach Redis at ${redactUrl(config.redisUrl!)}: ${redisError?.message ?? 'connection closed'}`);
    });
    // Migrating and seeding share one lock, so instances starting together on an empty
    // database migrate once and create one first organization (and print one admin key).
    // The controls and --clock get a clock that can be moved; otherwise the domain reads real time directly.
    const controlledClock = config.controls || config.clock ? new ControlledClock() : undefined;
    const clock: Clock = controlledClock ?? systemClock;
    const domain = createDomain(database, clock, logger, { invitationTtlMs: config.invitationTtlMs, byocProvisioningSeconds: config.byocProvisioningSeconds });
    // On an empty database: the --seed fixture, or else the first organization and its admin key.
    const started = await withStartupLock(database, async (session): Promise<{ firstStart?: BootstrapResult; seeded?: SeedSummary }> => {
      await applyMigrations(session);
      if (config.clock) await startClock(controlledClock!, config.clock, database);
      if ((await countOrganizations(database.db)) > 0) return {};
      if (seed) return { seeded: await applyFixture(domain, seed) };
      return { firstStart: await bootstrapOrganization(domain, { organizationName: 'Default organization', keyName: 'bootstrap admin key', role: 'admin' }, 'serve (first start)') };
    });
    const { firstStart, seeded } = started;
    if (firstStart) options.onFirstStart?.(firstStart);
    const controls = config.controls ? { token: config.controls.token, clock: controlledClock!, ...(seed ? { seed } : {}) } : undefined;
    const app = await buildApp({ config, database, domain, logger, ...(redis ? { redis } : {}), ...(controls ? { controls } : {}) });
    await app.listen({ host: config.host, port: config.port });
    if (!nativeAddon()) logger.warn(NO_ADDON);
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    const close = async () => {
      await app.close();
      redis?.disconnect();
      await database.close();
      serveLock?.release();
    };
    return { app, database, url: `http://${host}:${port}`, close, ...(firstStart ? { firstStart } : {}), ...(seeded ? { seeded } : {}) };
  } catch (err) {
    redis?.disconnect();
    await database.close();
    serveLock?.release();
    throw err;
  }
}

/** `--seed FILE`: a fixture that cannot be read or is not valid is a configuration error (exit 2). */
function loadSeed(file: string): Fixture {
  try {
    return readFixtureFile(file);
  } catch (err) {
    if (err instanceof ApiError) throw new ConfigError(`invalid --seed fixture: ${err.message}`);
    throw err;
  }
}

/** `--clock`: refused when the database already holds a later time (the activity log stays in order). */
async function startClock(clock: ControlledClock, start: ClockStart, database: DatabaseHandle): Promise<void> {
  const newest = await storedAfter(database.db, start.at.getTime());
  if (newest !== undefined) {
    throw new Error(`--clock ${start.at.toISOString()} is before ${newest}, the newest timestamp in the database: start the clock later, or on an empty database`);
  }
  clock.startAt(start.at, start.frozen);
}

/** ioredis is loaded only when Redis is configured. */
function connectRedis(url: string): RedisClient {
  const { Redis } = createRequire(import.meta.url)('ioredis') as typeof import('ioredis');
  return new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
}

/** SIGTERM/SIGINT: stop accepting, let in-flight requests finish, close the database. */
export function closeOnSignals(server: RunningServer, logger: Logger): void {
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'shutting down after an error');
    else logger.info({ signal }, 'shutting down');
    await server.close();
    // The line supervisors and tests look for: in-flight requests finished and the database is closed.
    logger.info({ signal }, 'shut down');
    logger.flush();
  });
}
