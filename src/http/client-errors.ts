import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { errorBody } from './envelope.js';

/**
 * Errors Node's HTTP parser raises before a request exists (header/request
 * timeouts, malformed requests, oversized headers): answered in the envelope,
 * then the connection is closed.
 */
export function handleClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, message] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'Request timed out: the client was too slow to send it']
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request headers are too large']
        : [400, 'Malformed HTTP request'];
  writeErrorAndClose(socket, status, message);
}

/** The envelope written straight to a socket that no Fastify request owns, then the socket is closed. */
export function writeErrorAndClose(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify(errorBody(status, message, randomUUID()));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
