import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { PERMISSIONS } from '../../src/vocabulary/permissions.js';
import { MAX_CUSTOM_ROLES_PER_ORGANIZATION, MAX_GRANT_TAGS_PER_POLICY, MAX_GRANT_TAG_LENGTH, MAX_PERMISSIONS_PER_POLICY, MAX_POLICIES_PER_ROLE, MAX_RESOURCES_PER_POLICY } from '../../src/vocabulary/limits.js';
import { READ_RATE_WINDOW_MS } from '../../src/http/unsent-bytes.js';
import { assertBystanderServed, openSocket, rssMb, until, withBystander, type BystanderAsk, type Observed } from '../helpers/availability.js';
import { createTestDatabase, type TestDatabase } from '../helpers/backends.js';
import { runCli, startServe, stopAllServers, type ServeProcess } from '../helpers/cli.js';
import { basic, request, type Credentials } from '../helpers/server.js';

// Clients that hold the server's answers unread, or read them a trickle at a time, from two
// attacking addresses at once (127.0.0.2 and 127.0.0.3; Linux routes all of 127.0.0.0/8 to
// loopback), against a real `orgplane serve` with its default limits, while a bystander on
// 127.0.0.1 keeps asking. Each pattern grew the server by gigabytes before answers were bounded in bytes.
const ATTACKERS = ['127.0.0.2', '127.0.0.3'];
const ABUSE_MS = 12_000;
/** Slow readers are closed within the read-rate window plus a pass or two of the accounting. */
const SLOW_READERS_MS = READ_RATE_WINDOW_MS + 4000;
const BUNDLE = 'GET /docs/static/swagger-ui-bundle.js HTTP/1.1\r\nHost: x\r\n\r\n';
/** The reproductions' clients: 128 connections (the per-address cap) pipelining 8 each (the requests handled at once). */
const NEVER_READ_CONNECTIONS = 128;
const SLOW_READ_CONNECTIONS = 64;
const PIPELINED = 8;
const TRICKLE_BYTES = 1024;
const TRICKLE_EVERY_MS = 5000;
/** Far less than the keep-alive timeout, which would close a connection whose answers were all taken. */
const CLOSE_SEEN_MS = 2000;

/** Reads TRICKLE_BYTES every TRICKLE_EVERY_MS (the socket stays paused, so the kernel's buffers fill and stay full). */
function trickle(socket: Socket): void {
  const timer = setInterval(() => socket.read(TRICKLE_BYTES), TRICKLE_EVERY_MS);
  socket.once('close', () => clearInterval(timer));
}

/**
 * Opens `connections` connections from `from`, each sending `requests` and then reading as `read`
 * says, and holds them until aborted. A client that does not read never sees the server close
 * its connection (the end of the stream is behind the unread data), so nothing is reopened.
 */
async function holdConnections(url: string, from: string, connections: number, requests: string, signal: AbortSignal, read: (socket: Socket) => void = () => {}): Promise<Socket[]> {
  const sockets = new Set<Socket>();
  const opened = await Promise.all(
    Array.from({ length: connections }, async () => {
      const socket = await openSocket(url, sockets, Date.now() + 5000, from);
      socket.write(requests);
      read(socket);
      return socket;
    }),
  );
  if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
  return opened;
}

/** Whether the server has closed the connection: once the client reads what it holds, the end follows within CLOSE_SEEN_MS. */
async function closedByServer(socket: Socket): Promise<boolean> {
  if (socket.destroyed) return true;
  const ended = until(socket, 'close', Date.now() + CLOSE_SEEN_MS).then(() => socket.destroyed);
  socket.resume();
  const closed = await ended;
  socket.destroy();
  return closed;
}

/** A policy at every bound: every permission, the most resources and grant tags, each tag as long as allowed. */
function fullPolicy(role: number, policy: number) {
  const text = (prefix: string, length: number) => prefix + 'x'.repeat(length - prefix.length);
  return {
    allowDeny: 'ALLOW',
    permissions: Array.from({ length: MAX_PERMISSIONS_PER_POLICY }, (_, i) => PERMISSIONS[i % PERMISSIONS.length]),
    resources: Array.from({ length: MAX_RESOURCES_PER_POLICY }, () => `instance/${randomUUID()}`),
    tags: { grants: Array.from({ length: MAX_GRANT_TAGS_PER_POLICY }, (_, i) => text(`${role}-${policy}-${i}-`, MAX_GRANT_TAG_LENGTH)) },
  };
}

describe('clients that hold answers unread or read them slowly, from two addresses at once', () => {
  let database: TestDatabase;
  let server: ServeProcess;
  let organizationId: string;
  let bystanderAsks: BystanderAsk[];
  /** One Developer key per attacking address. */
  const developers: Credentials[] = [];
  let rolesBytes = 0;
  let baselineMb = 0;
  before(async () => {
    database = await createTestDatabase('sqlite');
    assert.equal(runCli(['migrate', '--database', database.url]).status, 0);
    const boot = JSON.parse(runCli(['bootstrap', '--org-name', 'Bystander', '--json', '--database', database.url]).stdout);
    const admin: Credentials = { keyId: boot.keyId, keySecret: boot.keySecret };
    organizationId = boot.organizationId;
    const orgPath = `/v1/organizations/${organizationId}`;
    // Filled to its bounds with the rate limit off, then served with the default one.
    const filler = await startServe(['--database', database.url, '--rate-limit', 'off']);
    for (let role = 0; role < MAX_CUSTOM_ROLES_PER_ORGANIZATION; role++) {
      const policies = Array.from({ length: MAX_POLICIES_PER_ROLE }, (_, policy) => fullPolicy(role, policy));
      const res = await request(filler, 'POST', `${orgPath}/roles`, { auth: admin, body: { name: `role ${role}`, actors: [], policies } });
      assert.equal(res.status, 200, res.text);
    }
    for (const address of ATTACKERS) {
      const res = await request(filler, 'POST', `${orgPath}/keys`, { auth: admin, body: { name: `developer ${address}`, roles: ['developer'] } });
      assert.equal(res.status, 200, res.text);
      developers.push({ keyId: res.body.result.keyId, keySecret: res.body.result.keySecret });
    }
    const bystander = await request(filler, 'POST', `${orgPath}/keys`, { auth: admin, body: { name: 'bystander', roles: ['admin'] } });
    await filler.stop();
    server = await startServe(['--database', database.url]);
    const auth = { authorization: basic({ keyId: bystander.body.result.keyId, keySecret: bystander.body.result.keySecret }) };
    // The authenticated ask stays within the default rate limit (10 per 10 s).
    bystanderAsks = [
      { path: '/health', everyMs: 100 },
      { path: orgPath, headers: auth, everyMs: 1100 },
    ];
    // Warm up every path used, so that the baseline includes what they load (the docs assets are built once).
    const roles = await request(server, 'GET', `${orgPath}/roles`, { auth: developers[0]! });
    assert.equal(roles.status, 200);
    rolesBytes = Buffer.byteLength(roles.text);
    for (const path of ['/health', '/docs/', '/docs/static/swagger-ui-bundle.js']) assert.equal((await request(server, 'GET', path)).status, 200);
    assert.equal((await request(server, 'GET', orgPath, { headers: auth })).status, 200);
    baselineMb = rssMb(server.child.pid!);
  });
  after(async () => {
    await stopAllServers();
    await database.drop();
  });

  /** The bystander is served and the RSS stays within the bound of the server's start (after warm-up). */
  const report = (name: string, observed: Observed) => {
    const worst = Math.max(...observed.latencies.map((l) => l.ms));
    process.stdout.write(`# ${name}: RSS +${Math.round(observed.peakMb - observed.baselineMb)} MB, bystander ${observed.latencies.length} requests, slowest ${worst} ms\n`);
    assertBystanderServed(observed);
  };

  it(`${NEVER_READ_CONNECTIONS} connections per address, each pipelining ${PIPELINED} GETs of the docs bundle and never reading`, { timeout: 60_000 }, async () => {
    const observed = await withBystander(
      server,
      bystanderAsks,
      ABUSE_MS,
      async (signal) => {
        const held = await Promise.all(ATTACKERS.map((from) => holdConnections(server.url, from, NEVER_READ_CONNECTIONS, BUNDLE.repeat(PIPELINED), signal)));
        for (const socket of held.flat()) socket.destroy();
      },
      baselineMb,
    );
    report('never read', observed);
  });

  it(`${SLOW_READ_CONNECTIONS} connections per address reading ${TRICKLE_BYTES} bytes every ${TRICKLE_EVERY_MS / 1000} s are closed within the read-rate window`, { timeout: 60_000 }, async () => {
    let closed: boolean[][] = [];
    const observed = await withBystander(
      server,
      bystanderAsks,
      SLOW_READERS_MS,
      async (signal) => {
        const held = await Promise.all(ATTACKERS.map((from) => holdConnections(server.url, from, SLOW_READ_CONNECTIONS, BUNDLE.repeat(PIPELINED), signal, trickle)));
        closed = await Promise.all(held.map((sockets) => Promise.all(sockets.map(closedByServer))));
      },
      baselineMb,
    );
    report('slow readers', observed);
    for (const [i, sockets] of closed.entries()) {
      const open = sockets.filter((c) => !c).length;
      assert.equal(open, 0, `${ATTACKERS[i]}: ${open} of its ${SLOW_READ_CONNECTIONS} slow readers are still open after ${SLOW_READERS_MS} ms`);
    }
  });

  it('a Developer key per address, within the rate limit, opening a connection a second for the full roles list and trickling', { timeout: 60_000 }, async () => {
    assert.ok(rolesBytes > 8 * 1024 * 1024, `the roles list is only ${rolesBytes} bytes`);
    process.stdout.write(`# the roles list: ${rolesBytes} bytes\n`);
    const path = `/v1/organizations/${organizationId}/roles`;
    const observed = await withBystander(
      server,
      bystanderAsks,
      ABUSE_MS,
      (signal) =>
        Promise.all(
          ATTACKERS.map(async (from, i) => {
            const line = `GET ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: ${basic(developers[i]!)}\r\n\r\n`;
            const sockets = new Set<Socket>();
            while (!signal.aborted) {
              const socket = await openSocket(server.url, sockets, Date.now() + 1000, from);
              socket.write(line);
              trickle(socket);
              await new Promise((resolve) => setTimeout(resolve, 1000));
            }
            for (const socket of sockets) socket.destroy();
            await Promise.all([...sockets].map((s) => until(s, 'close', Date.now() + 1000)));
          }),
        ),
      baselineMb,
    );
    report('roles list trickled', observed);
  });
});
