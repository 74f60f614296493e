import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { FastifyReply } from 'fastify';
import type { RateLimitConfig } from '../config.js';
import { ApiError } from './errors.js';

/** Per-API-key fixed-window limit with the headers the vendor's clients read (the Terraform provider waits on X-RateLimit-Reset). */
export class KeyRateLimiter {
  constructor(
    private readonly config: RateLimitConfig,
    private readonly limiter: RateLimiterAbstract = new RateLimiterMemory({ points: config.points, duration: config.windowSeconds }),
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
