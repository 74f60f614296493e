import { performance } from 'node:perf_hooks';
import ipaddr from 'ipaddr.js';
import { LRUCache } from 'lru-cache';
import type { RateLimitConfig } from '../config.js';
import { ApiError } from '../domain/errors.js';

/**
 * How many client addresses the limiter remembers. Past this the least
 * recently seen one is forgotten, so memory stays bounded whatever the
 * number of addresses; an address being refused stays recent by its own
 * requests.
 */
export const FAILED_AUTH_MAX_ADDRESSES = 100_000;

interface Failures {
  count: number;
  /** performance.now() at which the window that began with the first failure ends. */
  endsAt: number;
}

/**
 * Who counts as one client: an IPv4 address, or an IPv6 /64 (one host or
 * network is handed a whole /64 and can pick any address in it, so counting
 * single IPv6 addresses would give one client 2^64 budgets). An IPv4-mapped
 * IPv6 address is its IPv4 address.
 */
export function clientOf(address: string): string {
  if (!address.includes(':')) return address;
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  return `${(parsed as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16)).join(':')}::/64`;
}

/**
 * Fixed-window limit on failed authentications per client address: after
 * `points` 401s within `windowSeconds` of the first one, the address gets
 * 429 with Retry-After until that window ends, before its credentials are
 * parsed, hashed or looked up. A successful authentication neither spends
 * nor refills the budget (a valid key must not buy an attacker more
 * guesses), and a request that authenticates pays one synchronous map
 * look-up.
 *
 * The counters live in this instance's memory, not in the database or Redis
 * like the per-key rate limit: a shared counter would turn every failed
 * attempt into a write on the shared store, which is exactly the load a
 * guesser should not be able to cause. With several instances an address
 * gets this budget on each of them.
 */
export class FailedAuthLimiter {
  private readonly failures: LRUCache<string, Failures>;
  private readonly windowMs: number;

  constructor(
    private readonly config: RateLimitConfig,
    max = FAILED_AUTH_MAX_ADDRESSES,
  ) {
    this.failures = new LRUCache({ max });
    this.windowMs = config.windowSeconds * 1000;
  }

  /** Throws the 429 when the address has used up its failures for the window. */
  check(address: string): void {
    if (this.failures.size === 0) return;
    const entry = this.failures.get(clientOf(address));
    if (entry === undefined || entry.count < this.config.points) return;
    const remainingMs = entry.endsAt - performance.now();
    if (remainingMs <= 0) return;
    const retryAfter = Math.ceil(remainingMs / 1000);
    throw new ApiError(
      'TOO_MANY_REQUESTS',
      `Too many failed authentications from this address: ${this.config.points} per ${this.config.windowSeconds} s; retry in ${retryAfter} s`,
      { 'Retry-After': retryAfter },
    );
  }

  /** Forgets every address's failures (the emulator's reset). */
  clear(): void {
    this.failures.clear();
  }

  /** Counts one failed authentication; true when it used up the address's budget (the moment worth a log line). */
  fail(address: string): boolean {
    const client = clientOf(address);
    const now = performance.now();
    const entry = this.failures.get(client);
    if (entry === undefined || entry.endsAt <= now) {
      this.failures.set(client, { count: 1, endsAt: now + this.windowMs });
      return this.config.points === 1;
    }
    entry.count += 1;
    return entry.count === this.config.points;
  }
}
