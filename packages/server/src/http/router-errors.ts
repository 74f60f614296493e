import { maxHeaderSize } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { writeErrorAndClose } from './client-errors.js';
import { errorBody } from './envelope.js';

/**
 * The router's cap on one path parameter. find-my-way's default (100) answers
 * longer values itself with a bare 414, before any schema runs; but every path
 * parameter here is a UUID, so an over-long one is just another malformed
 * UUID and should get the same 400 naming the parameter (or the 404 of a path
 * that does not exist). No parameter can be longer than the request line Node
 * accepts, so this cap is never what refuses a request.
 */
export const MAX_PARAM_LENGTH = maxHeaderSize;

/**
 * Fastify's `frameworkErrors`: errors the router raises before any route,
 * hook or error handler runs. Without it Fastify writes its own body, which
 * has no requestId and quotes the raw path back.
 */
export function handleRouterError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  let status: number;
  let message: string;
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      [status, message] = [400, 'Malformed URL: the path is not valid percent-encoded UTF-8'];
      break;
    case 'FST_ERR_MAX_PARAM_LENGTH':
      [status, message] = [400, 'Invalid path parameter: too long'];
      break;
    default:
      request.log.error({ err: error }, 'unhandled router error');
      [status, message] = [500, 'Internal server error'];
  }
  void reply.code(status).send(errorBody(status, message, request.id));
  // No route context, so the app's onResponse hook never sees these: the request's log line is written here.
  request.log.info({ method: request.method, route: null, status, durationMs: Math.round(reply.elapsedTime * 100) / 100 }, 'request');
}

// RFC 3986 path characters minus those with a meaning in HTML or JSON (", <, >, ', \\, `).
const SAFE_PATH_CHAR = /[A-Za-z0-9\-._~!$&()*+,;=:@/%]/;
const MAX_SHOWN_PATH = 200;

/**
 * The request path as an error message may quote it: without the query,
 * every other character percent-encoded, and cut to a length that cannot
 * bloat the answer. Quoting it helps a caller spot a typo; quoting it raw
 * would reflect whatever an attacker put there.
 */
export function quotablePath(url: string): string {
  const path = url.split('?')[0] ?? '';
  let shown = '';
  for (const char of path) {
    shown += SAFE_PATH_CHAR.test(char) ? char : [...Buffer.from(char)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
    if (shown.length > MAX_SHOWN_PATH) return `${shown.slice(0, MAX_SHOWN_PATH)}…`;
  }
  return shown;
}

/**
 * CONNECT asks for a tunnel, which Node hands to a 'connect' listener instead
 * of the router; with none it drops the connection without a word. This is
 * not a proxy, so the request is refused in the envelope instead.
 */
export function refuseConnect(_request: IncomingMessage, socket: Duplex): void {
  writeErrorAndClose(socket, 400, 'CONNECT is not supported: this server is not a proxy');
}
