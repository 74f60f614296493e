import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionLimits } from '../config.js';
import { ipAllowed, parseIpSource } from '../domain/keys/ip-access-list.js';
import { answerInEnvelope, writeErrorAndClose } from './client-errors.js';
import { capSendBuffer } from './send-buffer.js';
import { MAX_UNSENT_BYTES_PER_CONNECTION, sweepUnsent, type HeldConnection } from './unsent-bytes.js';

/**
 * Requests of one connection being handled at once. Node hands over every
 * request of a received chunk at once (64 KiB can hold a thousand); beyond
 * this many unanswered ones (answers not yet taken by the kernel, because the
 * client does not read them) the rest wait and the connection is not read.
 */
export const MAX_REQUESTS_IN_FLIGHT = 8;
/** Unanswered requests one connection may have, handled or waiting; beyond them it is closed. */
export const MAX_PIPELINED_REQUESTS = 64;
/** Near --max-connections, this share of it is kept free by closing the longest-idle connections. */
const RESERVED_SHARE = 0.1;
/** How often Node checks for requests over the headers or request timeout, and the unsent bytes are counted. */
const TIMEOUT_CHECK_MS = 1000;

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

interface Connection extends HeldConnection {
  /** Requests received beyond MAX_REQUESTS_IN_FLIGHT, in order, with what answers each. */
  waiting: [IncomingMessage, ServerResponse, Handler][];
  /** Reading was stopped here (not by Node's own back-pressure). */
  paused: boolean;
  /** Closed, or being closed: no longer counted. */
  gone: boolean;
  /** One listener per connection rather than a closure per request. */
  onFinish: () => void;
}

const CONNECTION = Symbol('orgplane.connection');
type GuardedSocket = Socket & { [CONNECTION]?: Connection };

/**
 * The HTTP server Fastify runs on (its serverFactory), with the bounds Node's
 * lacks: requests outstanding per connection, connections per client address,
 * headroom near --max-connections, bytes of answers left unread per
 * connection, per address and in all, a minimum read rate (unsent-bytes.ts), the kernel's
 * send buffer of each connection (send-buffer.ts); and the protocol errors Node answers with
 * an empty body (a missing Host, an unsupported Expect) in the envelope.
 */
export function createGuardedServer(handler: Handler, limits: ConnectionLimits, trustProxy: readonly string[]): Server {
  const server = createServer({
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // A timeout's bound is itself plus at most one check interval.
    connectionsCheckingInterval: TIMEOUT_CHECK_MS,
    // Node's own 400 for a missing Host has an empty body; it is answered below, in the envelope.
    requireHostHeader: false,
  });
  server.maxConnections = limits.maxConnections;
  server.on('listening', () => capSendBuffer(server, limits.sendBufferBytes));
  // A connection with a request in progress on which no byte moves (a client that stopped reading
  // its answers) is closed after this; between requests the keep-alive timeout applies instead.
  // Longer than the request timeout can take, so that a client stalling its upload still gets its 408.
  server.timeout = limits.requestTimeoutMs + 2 * TIMEOUT_CHECK_MS;
  const proxies = trustProxy.map(parseIpSource);
  const shedAbove = limits.maxConnections - Math.max(1, Math.ceil(limits.maxConnections * RESERVED_SHARE));
  /** Connections with no request in progress, longest idle first (a Set keeps insertion order). */
  const idle = new Set<Connection>();
  const perAddress = new Map<string, number>();
  /** Every connection counted, for the pass over their unsent bytes (unsent-bytes.ts). */
  const all = new Set<Connection>();
  /** Addresses over their unsent bytes at the last pass: their new connections wait too. */
  const blockedAddresses = new Set<string>();
  let open = 0;

  const longestIdle = (address?: string): Connection | undefined => {
    for (const conn of idle) if (address === undefined || conn.address === address) return conn;
    return undefined;
  };
  /** Stops counting a connection, once; at once when it is shed, so that the next arrival sees the room it left. */
  const forget = (conn: Connection) => {
    if (conn.gone) return;
    conn.gone = true;
    conn.waiting.length = 0;
    open--;
    idle.delete(conn);
    all.delete(conn);
    if (conn.address === undefined) return;
    const left = perAddress.get(conn.address)! - 1;
    if (left === 0) perAddress.delete(conn.address);
    else perAddress.set(conn.address, left);
  };
  const close = (conn: Connection) => {
    forget(conn);
    conn.socket.destroy();
  };

  server.on('connection', (socket: GuardedSocket) => {
    const remote = socket.remoteAddress;
    if (remote === undefined) return void socket.destroy();
    const address = proxies.length > 0 && ipAllowed(remote, proxies) ? undefined : remote;
    if (address !== undefined && (perAddress.get(address) ?? 0) >= limits.maxConnectionsPerAddress) {
      // At its cap a client's new connection takes the place of its longest-idle one; with none idle it is refused.
      const oldest = longestIdle(address);
      if (!oldest) return writeErrorAndClose(socket, 429, `Too many open connections from this address (at most ${limits.maxConnectionsPerAddress})`);
      close(oldest);
    }
    if (open >= shedAbove) {
      const oldest = longestIdle();
      if (oldest) close(oldest);
    }
    const conn: Connection = {
      socket,
      address,
      responses: [],
      blocked: address !== undefined && blockedAddresses.has(address),
      held: 0,
      owingSince: 0,
      windowStart: 0,
      takenAtWindowStart: 0,
      takenAtLastPass: 0,
      waiting: [],
      paused: false,
      gone: false,
      onFinish: () => finished(conn),
    };
    socket[CONNECTION] = conn;
    open++;
    all.add(conn);
    if (address !== undefined) perAddress.set(address, (perAddress.get(address) ?? 0) + 1);
    idle.add(conn);
    socket.on('close', () => forget(conn));
    // Node resumes a socket it paused itself once its writes drain; one paused here stays paused.
    socket.on('resume', () => conn.paused && socket.pause());
    stopParsingOnceGone(socket, conn);
  });

  /** Whether the connection's next request must wait for its client to take more of its answers. */
  const mustWait = (conn: Connection) =>
    conn.responses.length >= MAX_REQUESTS_IN_FLIGHT || conn.blocked || conn.socket.writableLength > MAX_UNSENT_BYTES_PER_CONNECTION;
  /** Hands a request over now, or queues it behind the connection's requests in flight. */
  const admit = (req: IncomingMessage, res: ServerResponse, answer: Handler) => {
    const conn = (req.socket as GuardedSocket)[CONNECTION];
    if (!conn || conn.gone) return;
    res.on('finish', conn.onFinish);
    if (conn.waiting.length === 0 && !mustWait(conn)) return handOver(conn, req, res, answer);
    if (conn.responses.length + conn.waiting.length >= MAX_PIPELINED_REQUESTS) return close(conn);
    conn.waiting.push([req, res, answer]);
    if (!conn.paused) {
      conn.paused = true;
      conn.socket.pause();
    }
  };
  const handOver = (conn: Connection, req: IncomingMessage, res: ServerResponse, answer: Handler) => {
    if (conn.responses.push(res) === 1) idle.delete(conn);
    answer(req, res);
  };
  /** Hands over the waiting requests the connection may now have answered, and reads it again once none wait. */
  const serveWaiting = (conn: Connection) => {
    while (conn.waiting.length > 0 && !mustWait(conn)) {
      const [req, res, answer] = conn.waiting.shift()!;
      handOver(conn, req, res, answer);
    }
    if (conn.responses.length === 0 && conn.waiting.length === 0) idle.add(conn);
    if (conn.paused && conn.waiting.length === 0) {
      conn.paused = false;
      conn.socket.resume();
    }
  };
  // Answers finish in the order of their requests (HTTP/1.1 sends them in that order).
  const finished = (conn: Connection) => {
    if (conn.gone) return;
    conn.responses.shift();
    serveWaiting(conn);
  };
  const sweep = setInterval(() => {
    for (const conn of sweepUnsent(all, limits, Date.now(), (c) => close(c as Connection), blockedAddresses)) serveWaiting(conn as Connection);
  }, TIMEOUT_CHECK_MS);
  sweep.unref();
  server.on('close', () => clearInterval(sweep));

  const serve: Handler = (req, res) => {
    // RFC 9112 §3.2: an HTTP/1.1 request without Host is a 400 (HTTP/1.0 may omit it).
    if (req.headers.host === undefined && req.httpVersionMajor === 1 && req.httpVersionMinor === 1) {
      return answerInEnvelope(res, 400, 'Missing Host header: an HTTP/1.1 request must name the host', { close: true });
    }
    handler(req, res);
  };
  const refuseExpectation: Handler = (_req, res) =>
    answerInEnvelope(res, 417, 'Expectation failed: the only expectation supported is "Expect: 100-continue"');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => admit(req, res, serve));
  // Node's own answer to an Expect other than 100-continue is an empty 417.
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => admit(req, res, refuseExpectation));
  return server;
}

type IncomingHook = (req: IncomingMessage, keepAlive: boolean) => number;

/**
 * Node parses a whole received chunk even after its socket is destroyed, and
 * builds a request and a response for each request in it. Its parser gives up
 * on the rest of the chunk when onIncoming (an internal of _http_server, hence
 * the checks) answers -1, so a connection closed at MAX_PIPELINED_REQUESTS
 * stops there; the parser then reports an error, which handleClientError
 * ignores for a destroyed socket. Without that internal the rest of the chunk
 * is parsed but nothing in it is handled.
 */
function stopParsingOnceGone(socket: Socket, conn: Connection): void {
  const parser = (socket as Socket & { parser?: { onIncoming?: IncomingHook } }).parser;
  const onIncoming = parser?.onIncoming;
  if (!parser || typeof onIncoming !== 'function') return;
  parser.onIncoming = (req, keepAlive) => (conn.gone ? -1 : onIncoming(req, keepAlive));
}
