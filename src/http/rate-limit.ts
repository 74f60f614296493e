import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { FastifyReply } from 'fastify';
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
export function createRateLimiter(config: RateLimitConfig, stores: RateLimitStores): KeyRateLimiter {
  const options = { points: config.points, duration: config.windowSeconds, keyPrefix: 'orgplane' };
  // A key that has gone over its budget is refused from this instance's memory for the rest of its
  // window, so a client hammering past the limit costs no further round trips to the shared store.
  const shared = { ...options, inMemoryBlockOnConsumed: config.points + 1 };
  const postgres = stores.pool
    ? new RateLimiterPostgres({ ...shared, storeClient: stores.pool, tableName: 'rate_limits', tableCreated: true, clearExpiredByTimeout: false })
    : undefined;
  if (stores.redis) {
    const insuranceLimiter = postgres ?? new RateLimiterMemory(options);
    return new KeyRateLimiter(config, new RateLimiterRedis({ ...shared, storeClient: stores.redis, useRedisPackage: false, insuranceLimiter }));
  }
  return new KeyRateLimiter(config, postgres ?? new RateLimiterMemory(options));
}

/** Per-API-key fixed-window limit with the headers the vendor's clients read (the Terraform provider waits on X-RateLimit-Reset). */
export class KeyRateLimiter {
  constructor(
    private readonly config: RateLimitConfig,
    private readonly limiter: RateLimiterAbstract,
  ) {}

  async consume(apiKeyId: string, reply: FastifyReply): Promise<void> {
    try {
      const res = await this.limiter.consume(apiKeyId);
      reply.headers(this.headers(res));
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const headers = this.headers(rejection);
      throw new ApiError(
        'TOO_MANY_REQUESTS',
        `Rate limit exceeded: ${this.config.points} requests per ${this.config.windowSeconds} s per API key; retry in ${headers['X-RateLimit-Reset']} s`,
        { ...headers, 'Retry-After': headers['X-RateLimit-Reset']! },
      );
    }
  }

  private headers(res: RateLimiterRes): Record<string, number> {
    return {
      'X-RateLimit-Limit': this.config.points,
      'X-RateLimit-Remaining': Math.max(0, res.remainingPoints),
      'X-RateLimit-Reset': Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
    };
  }
}
