import { hash, timingSafeEqual } from 'node:crypto';
import type { onRequestAsyncHookHandler } from 'fastify';
import { ApiError } from '../../domain/errors.js';

/**
 * The controls' own credential: a bearer token compared in constant time
 * (over digests, so its length does not show either). API keys never open
 * the controls, and the token never opens the API.
 */
export function requireControlsToken(token: string): onRequestAsyncHookHandler {
  const expected = hash('sha256', token, 'buffer');
  return async (request) => {
    const header = request.headers.authorization;
    const given = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
    if (given !== undefined && timingSafeEqual(hash('sha256', given, 'buffer'), expected)) return;
    throw new ApiError('UNAUTHORIZED', 'The emulator controls need Authorization: Bearer <the --controls-token>', { 'WWW-Authenticate': 'Bearer realm="orgplane controls"' });
  };
}
