import { LRUCache } from 'lru-cache';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { FastifyReply } from 'fastify';
import type { Clock } from '../clock.js';
import type { RateLimitConfig } from '../config.js';
import { ApiError } from '../domain/errors.js';

export interface RateLimitStores {
  /** Several instances share one PostgreSQL: counters live in its rate_limits table. */
  pool?: pg.Pool;
  /** When configured, Redis holds the counters instead (cheaper than a database write per request). */
  redis?: Redis;
}

/**
 * Where the counters live decides whether the budget is shared: in memory on
 * SQLite (one machine, one process), otherwise in Redis or PostgreSQL so a
 * client spraying requests over several instances gets one budget, not one per
 * instance. PostgreSQL is the default there because it is already required and
 * one upsert per request is cheap at this API's rates; Redis, when configured,
 * takes that write off the database. A Redis outage must not take the API down
 * with it: the limiter then falls back to PostgreSQL (still shared) or, on
 * SQLite, to memory.
 */
export function createRateLimiter(config: RateLimitConfig, stores: RateLimitStores, controlledClock?: Clock): KeyRateLimiter {
  const make = () => {
    const options = { points: config.points, duration: config.windowSeconds, keyPrefix: KEY_PREFIX };
    const postgres = stores.pool
      ? new RateLimiterPostgres({ ...options, storeClient: stores.pool, tableName: 'rate_limits', tableCreated: true, clearExpiredByTimeout: false })
      : undefined;
    if (stores.redis) {
      const insuranceLimiter = postgres ?? new RateLimiterMemory(options);
      return new RateLimiterRedis({ ...options, storeClient: stores.redis, useRedisPackage: false, insuranceLimiter });
    }
    return postgres ?? new RateLimiterMemory(options);
  };
  return controlledClock ? new ClockedKeyRateLimiter(config, make, stores.redis, controlledClock) : new KeyRateLimiter(config, make, stores.redis);
}

const KEY_PREFIX = 'orgplane';

/**
 * The 429 of a key over its budget, with the headers the vendor's clients
 * read: the limit, none remaining, and the seconds until the window resets,
 * which Retry-After repeats. Also what an injected 429 fault answers.
 */
export function rateLimitExceeded(config: RateLimitConfig, resetSeconds: number): ApiError {
  return new ApiError('TOO_MANY_REQUESTS', `Rate limit exceeded: ${config.points} requests per ${config.windowSeconds} s per API key; retry in ${resetSeconds} s`, {
    'X-RateLimit-Limit': config.points,
    'X-RateLimit-Remaining': 0,
    'X-RateLimit-Reset': resetSeconds,
    'Retry-After': resetSeconds,
  });
}

/**
 * Per-API-key fixed-window limit with the headers the vendor's clients read
 * (the Terraform provider waits on X-RateLimit-Reset). A key this instance saw
 * go over its budget is refused from memory for the rest of its window
 * (refuseKnownOver), so a client hammering past the limit costs the shared
 * store nothing more; requests that are let through all count in the store,
 * so the limit stays exact across instances.
 */
export class KeyRateLimiter {
  private limiter: RateLimiterAbstract;
  /** By counter: until when (Date.now() time) its key is known to be over its budget. */
  private readonly overUntil = new LRUCache<string, number>({ max: 10_000 });

  constructor(
    protected readonly config: RateLimitConfig,
    private readonly make: () => RateLimiterAbstract,
    private readonly redis: Redis | undefined,
  ) {
    this.limiter = make();
  }

  /**
   * Forgets this deployment's counters (the emulator's reset): this
   * instance's, by starting the limiter afresh, and in Redis those of
   * `apiKeyIds`. A Redis may be shared by several deployments
   * under the same prefix, so nothing else there is touched; it is walked
   * with SCAN, which never blocks it as KEYS does, because a counter's name
   * carries the emulator clock's window, which this instance cannot list.
   * PostgreSQL's rate_limits rows go with the reset's transaction.
   */
  async forget(apiKeyIds: readonly string[]): Promise<void> {
    this.limiter = this.make();
    this.overUntil.clear();
    const ours = new Set(apiKeyIds);
    if (!this.redis || ours.size === 0) return;
    const prefix = `${KEY_PREFIX}:`;
    const stream = this.redis.scanStream({ match: `${prefix}*`, count: 1000 });
    for await (const batch of stream as AsyncIterable<string[]>) {
      const own = batch.filter((name) => ours.has(name.slice(prefix.length).split(':', 1)[0]!));
      if (own.length > 0) await this.redis.del(...own);
    }
  }

  async consume(apiKeyId: string, reply: FastifyReply): Promise<void> {
    const counter = this.counterOf(apiKeyId);
    this.refuseIfOver(counter);
    try {
      const res = await this.limiter.consume(counter);
      reply.headers(this.headers(res));
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      this.overUntil.set(counter, Date.now() + rejection.msBeforeNext);
      throw rateLimitExceeded(this.config, this.resetSeconds(rejection.msBeforeNext));
    }
  }

  /** Throws the 429 when this instance knows the key to be over its budget in the current window, without asking the store. */
  refuseKnownOver(apiKeyId: string): void {
    this.refuseIfOver(this.counterOf(apiKeyId));
  }

  private refuseIfOver(counter: string): void {
    const until = this.overUntil.get(counter);
    if (until === undefined) return;
    const ms = until - Date.now();
    if (ms <= 0) this.overUntil.delete(counter);
    else throw rateLimitExceeded(this.config, this.resetSeconds(ms));
  }

  /** The counter a request of this key counts against. */
  protected counterOf(apiKeyId: string): string {
    return apiKeyId;
  }

  /** Milliseconds until the counter's window ends, from what the store says is left of it. */
  protected msBeforeNext(storeMs: number): number {
    return storeMs;
  }

  /** X-RateLimit-Reset and Retry-After: whole seconds until the window ends, at least 1. */
  private resetSeconds(storeMs: number): number {
    return Math.max(1, Math.ceil(this.msBeforeNext(storeMs) / 1000));
  }

  private headers(res: RateLimiterRes): Record<string, number> {
    return {
      'X-RateLimit-Limit': this.config.points,
      'X-RateLimit-Remaining': Math.max(0, res.remainingPoints),
      'X-RateLimit-Reset': this.resetSeconds(res.msBeforeNext),
    };
  }
}

/**
 * The limit on the emulator's clock: windows are fixed slices of its time, so
 * advancing it past a window's end gives every key a fresh budget, and the
 * reset header counts down on it. The store still keeps each counter for one
 * window of real time, so a frozen clock's window also refills after that.
 */
class ClockedKeyRateLimiter extends KeyRateLimiter {
  private readonly windowMs: number;
  /** The keys this instance counted requests of: a reset forgets their shared counters even once the keys are gone from the database. */
  private readonly counted = new LRUCache<string, true>({ max: 10_000 });

  constructor(config: RateLimitConfig, make: () => RateLimiterAbstract, redis: Redis | undefined, private readonly clock: Clock) {
    super(config, make, redis);
    this.windowMs = config.windowSeconds * 1000;
  }

  override consume(apiKeyId: string, reply: FastifyReply): Promise<void> {
    this.counted.set(apiKeyId, true);
    return super.consume(apiKeyId, reply);
  }

  /** The emulator's reset: the keys the database held (`apiKeyIds`) and every key this instance counted. */
  override forget(apiKeyIds: readonly string[]): Promise<void> {
    const counted = [...this.counted.keys()];
    this.counted.clear();
    return super.forget([...apiKeyIds, ...counted]);
  }

  protected override counterOf(apiKeyId: string): string {
    return `${apiKeyId}:${Math.floor(this.clock.now().getTime() / this.windowMs)}`;
  }

  protected override msBeforeNext(): number {
    return this.windowMs - (this.clock.now().getTime() % this.windowMs);
  }
}
