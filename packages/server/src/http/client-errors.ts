import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type ServerResponse } from 'node:http';
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
  const body = envelopeText(status, message);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/**
 * The envelope as the answer to a request Node parsed but Fastify never sees
 * (rejected at the server, see connection-guard.ts); it keeps its place among
 * pipelined answers.
 */
export function answerInEnvelope(res: ServerResponse, status: number, message: string, { close = false } = {}): void {
  const body = envelopeText(status, message);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    ...(close ? { Connection: 'close' } : {}),
  });
  res.end(body);
}

function envelopeText(status: number, message: string): string {
  return JSON.stringify(errorBody(status, message, randomUUID()));
}
