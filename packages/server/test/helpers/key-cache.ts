import { KEY_CACHE_TTL_MS } from '../../src/domain/keys/key-verification.js';
import { sleep } from './wait.js';

// How long the authenticator's verified-key cache (KEY_CACHE_TTL_MS) can hide a
// change made behind a server's back, and the waits derived from it.

/** Just past the cache's TTL: after this a server has dropped every key it had verified. */
export const KEY_CACHE_EXPIRED_MS = KEY_CACHE_TTL_MS + 100;

/**
 * How long a key change made outside a server (the operator CLI, another
 * instance) may take to reach it: the cache's TTL plus slack for a spawned
 * server process and its database round trips.
 */
export const KEY_CACHE_BOUND_MS = KEY_CACHE_TTL_MS + 1500;

/** Waits out the authenticator's verified-key cache, so the next request reads the key from the database. */
export function waitForKeyCache(): Promise<void> {
  return sleep(KEY_CACHE_EXPIRED_MS);
}
