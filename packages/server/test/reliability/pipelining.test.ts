import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { MAX_PIPELINED_REQUESTS } from '../../src/http/connection-guard.js';
import { assertBystanderServed, openSocket, until, withBystander } from '../helpers/availability.js';
import { createTestDatabase, type TestDatabase } from '../helpers/backends.js';
import { runCli, startServe, stopAllServers, type ServeProcess } from '../helpers/cli.js';
import { basic, request, startTestServer, type Credentials, type TestServer } from '../helpers/server.js';

// Clients that pipeline requests and never read an answer, against a real `orgplane serve` process
// (its RSS read from /proc), while a bystander keeps asking.
const ABUSERS = 20;
/** Pipelined on each connection of a flood (an abuser whose connection is closed opens another). */
const REQUESTS_PER_CONNECTION = 20_000;
/** Requests per write: kilobytes, so that one read on the server holds hundreds of them. */
const BATCH = 500;
const ABUSE_MS = 6000;
const BYSTANDER_EVERY_MS = 200;
/** The OpenAPI document: the largest answer a client can ask for without credentials. */
const EXPENSIVE = 'GET /v1 HTTP/1.1\r\nHost: x\r\n\r\n';
const CHEAP = 'GET /health HTTP/1.1\r\nHost: x\r\n\r\n';

/**
 * Until the deadline: connects, writes REQUESTS_PER_CONNECTION pipelined requests, BATCH per write,
 * as fast as the socket accepts them, never reads, and once the server closes the connection opens
 * another. Resolves with the number of connections it opened.
 */
async function flood(url: string, line: string, deadline: number, sockets: Set<Socket>): Promise<number> {
  const batch = Buffer.from(line.repeat(BATCH));
  let connections = 0;
  while (Date.now() < deadline) {
    const socket = await openSocket(url, sockets, deadline);
    connections++;
    for (let sent = 0; sent < REQUESTS_PER_CONNECTION && !socket.destroyed && Date.now() < deadline; sent += BATCH) {
      if (!socket.write(batch)) await until(socket, 'drain', deadline);
    }
    if (!socket.destroyed) await until(socket, 'close', deadline);
  }
  return connections;
}

describe('clients that pipeline requests and never read the answers', () => {
  let database: TestDatabase;
  let auth: Credentials;
  let server: ServeProcess;
  before(async () => {
    database = await createTestDatabase('sqlite');
    assert.equal(runCli(['migrate', '--database', database.url]).status, 0);
    const boot = JSON.parse(runCli(['bootstrap', '--org-name', 'Bystander', '--json', '--database', database.url]).stdout);
    auth = { keyId: boot.keyId, keySecret: boot.keySecret };
    server = await startServe(['--database', database.url, '--rate-limit', 'off']);
    // Warm up every path used, so that the baseline includes what they load.
    for (let i = 0; i < 20; i++) {
      for (const path of ['/health', '/v1']) await request(server, 'GET', path);
      await request(server, 'GET', '/v1/organizations', { auth });
    }
  });
  after(async () => {
    await stopAllServers();
    await database.drop();
  });

  it(`keep a bystander served and memory bounded: ${ABUSERS} sockets flooding ${REQUESTS_PER_CONNECTION} requests each`, { timeout: 30_000 }, async () => {
    const sockets = new Set<Socket>();
    let connections = 0;
    const deadline = Date.now() + ABUSE_MS;
    const asks = [{ path: '/health', everyMs: BYSTANDER_EVERY_MS }, { path: '/v1/organizations', headers: { authorization: basic(auth) }, everyMs: BYSTANDER_EVERY_MS }];
    const observed = await withBystander(server, asks, ABUSE_MS, async () => {
      // Half knock on /health, half ask for the OpenAPI document; none reads a byte.
      const counts = await Promise.all(Array.from({ length: ABUSERS }, (_, i) => flood(server.url, i % 2 === 0 ? CHEAP : EXPENSIVE, deadline, sockets)));
      connections = counts.reduce((a, b) => a + b, 0);
      for (const s of sockets) s.destroy();
    });
    assertBystanderServed(observed);
    // Every flooding connection was cut off: each opened several.
    assert.ok(connections > ABUSERS, `the flooding connections were never closed (${connections} opened)`);
    assert.equal((await request(server, 'GET', '/v1/organizations', { auth })).status, 200);
  });
});

describe('pipelined requests, read', () => {
  let server: TestServer;
  let port: number;
  before(async () => {
    // A keep-alive timeout far beyond the test, so that only a stalled reader closes the connection.
    server = await startTestServer({ limits: { requestTimeoutMs: 500, headersTimeoutMs: 500, keepAliveTimeoutMs: 60_000 } });
    port = Number(new URL(server.url).port);
  });
  after(() => server.close());

  /** Writes `count` pipelined requests at once and reads until the server closes or stops answering. */
  async function pipeline(count: number): Promise<{ statuses: string[]; closed: boolean }> {
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('error', () => {});
    let received = '';
    socket.on('data', (d) => (received += d));
    let closed = false;
    const ended = new Promise<void>((resolve) => socket.on('close', () => ((closed = true), resolve())));
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(`GET /health HTTP/1.1\r\nHost: x\r\n\r\n`.repeat(count));
    const deadline = Date.now() + 3000;
    while (!closed && Date.now() < deadline && (received.match(/HTTP\/1\.1 \d{3} /g)?.length ?? 0) < count) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const closedByServer = closed;
    socket.destroy();
    await ended;
    return { statuses: received.match(/HTTP\/1\.1 \d{3}/g) ?? [], closed: closedByServer };
  }

  it(`answers up to ${MAX_PIPELINED_REQUESTS} pipelined requests sent at once, all of them, in order`, async () => {
    const { statuses, closed } = await pipeline(MAX_PIPELINED_REQUESTS);
    assert.equal(statuses.length, MAX_PIPELINED_REQUESTS);
    assert.equal(closed, false);
    assert.ok(statuses.every((s) => s === 'HTTP/1.1 200'));
  });

  it(`closes a connection with more than ${MAX_PIPELINED_REQUESTS} requests unanswered`, async () => {
    const { statuses, closed } = await pipeline(MAX_PIPELINED_REQUESTS * 20);
    assert.equal(closed, true);
    assert.ok(statuses.length <= MAX_PIPELINED_REQUESTS, `${statuses.length} answered`);
    // The server is fine.
    assert.equal((await request(server, 'GET', '/health')).status, 200);
  });

  it('closes a connection whose client stopped reading its answers, 2 s after the request timeout', async () => {
    const accepted = new Promise<Socket>((resolve) => server.app.server.once('connection', resolve));
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('error', () => {});
    await new Promise((resolve) => socket.once('connect', resolve));
    const serverSide = await accepted;
    const closed = new Promise<boolean>((resolve) => {
      serverSide.once('close', () => resolve(true));
      setTimeout(() => resolve(false), 8000);
    });
    socket.pause();
    // More answers than the kernel's buffers take (the OpenAPI document is over 100 KB), so they stall.
    const count = MAX_PIPELINED_REQUESTS - 4;
    socket.write(EXPENSIVE.repeat(count));
    const started = Date.now();
    const wasClosed = await closed;
    const ms = Date.now() - started;
    socket.destroy();
    assert.equal(wasClosed, true, 'the stalled connection is still open');
    // Node lets one timeout pass while a write is still in progress, so up to twice the time.
    assert.ok(ms >= 2000 && ms < 7000, `closed after ${ms} ms`);
  });
});
