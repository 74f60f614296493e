import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, afterEach, before, describe, it } from 'node:test';
import { runCli, startServe, stopAllServers } from '../helpers/cli.js';
import { basic, startTestServer, type TestServer } from '../helpers/server.js';

// Distinct loopback addresses stand for distinct clients (Linux routes all of 127.0.0.0/8 to lo).
const MAX_CONNECTIONS = 50;
const PER_ADDRESS = 20;
const KEEP_ALIVE_MS = 1000;
const PROXY = '127.0.0.9';

interface Client {
  socket: Socket;
  /** Everything the server sent. */
  received: () => string;
  closed: () => boolean;
  /** Resolves once `count` answers (status lines) have arrived, or the connection closed, or 2 s passed. */
  answers(count: number): Promise<number>;
}

const opened: Socket[] = [];

function open(port: number, localAddress: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress });
    opened.push(socket);
    let received = '';
    let closed = false;
    socket.on('data', (d) => (received += d));
    socket.on('close', () => (closed = true));
    socket.on('error', () => {});
    const count = () => received.match(/HTTP\/1\.1 \d{3}/g)?.length ?? 0;
    const client: Client = {
      socket,
      received: () => received,
      closed: () => closed,
      async answers(n) {
        const deadline = Date.now() + 2000;
        while (count() < n && !closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
        return count();
      },
    };
    socket.once('connect', () => resolve(client));
    socket.once('error', reject);
  });
}

/** A keep-alive client that has been answered once and now sits idle. */
async function idleClient(port: number, localAddress: string): Promise<Client> {
  const client = await open(port, localAddress);
  client.socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
  assert.equal(await client.answers(1), 1, `no answer for ${localAddress}`);
  return client;
}

/** A client whose request is in progress: authenticated headers sent, the body announced and never sent. */
async function busyClient(port: number, localAddress: string, server: TestServer): Promise<Client> {
  const client = await open(port, localAddress);
  client.socket.write(
    `PATCH /v1/organizations/${server.organizationId} HTTP/1.1\r\nHost: x\r\nAuthorization: ${basic(server.admin)}\r\n` +
      'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
  );
  return client;
}

async function timedHealth(port: number, localAddress: string): Promise<{ ms: number; answer: string }> {
  const started = performance.now();
  const client = await open(port, localAddress);
  client.socket.write('GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  await client.answers(1);
  client.socket.destroy();
  return { ms: performance.now() - started, answer: client.received() };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

describe('connection exhaustion', () => {
  let server: TestServer;
  let port: number;
  before(async () => {
    server = await startTestServer({
      // A request timeout beyond each test, so that busy clients stay busy.
      limits: { maxConnections: MAX_CONNECTIONS, maxConnectionsPerAddress: PER_ADDRESS, keepAliveTimeoutMs: KEEP_ALIVE_MS, requestTimeoutMs: 10_000 },
      trustProxy: [PROXY],
    });
    port = Number(new URL(server.url).port);
  });
  afterEach(async () => {
    for (const s of opened.splice(0)) s.destroy();
    await settle();
  });
  after(() => server.close());

  it(`closes an idle keep-alive connection ${KEEP_ALIVE_MS} ms (plus Node's 1 s grace) after its answer`, async () => {
    const client = await idleClient(port, '127.0.0.2');
    assert.match(client.received(), /Keep-Alive: timeout=1\r\n/i);
    const started = Date.now();
    while (!client.closed() && Date.now() - started < 4000) await new Promise((r) => setTimeout(r, 20));
    const ms = Date.now() - started;
    assert.equal(client.closed(), true, 'the idle connection is still open');
    assert.ok(ms >= KEEP_ALIVE_MS - 100 && ms < KEEP_ALIVE_MS + 2000, `closed after ${ms} ms`);
  });

  it(`keeps one address to ${PER_ADDRESS} connections: its newest replaces its longest idle`, async () => {
    const clients: Client[] = [];
    for (let i = 0; i < MAX_CONNECTIONS; i++) clients.push(await idleClient(port, '127.0.0.2'));
    await settle();
    const open = clients.filter((c) => !c.closed());
    assert.equal(open.length, PER_ADDRESS);
    // The ones still open are the newest.
    assert.deepEqual(open, clients.slice(-PER_ADDRESS));
    // Another client is served at once.
    const bystander = await timedHealth(port, '127.0.0.3');
    assert.match(bystander.answer, /^HTTP\/1\.1 200/);
    assert.ok(bystander.ms < 1000, `the bystander waited ${Math.round(bystander.ms)} ms`);
  });

  it(`refuses an address's connection beyond ${PER_ADDRESS} when none of its connections is idle, in the envelope`, async () => {
    for (let i = 0; i < PER_ADDRESS; i++) await busyClient(port, '127.0.0.4', server);
    await settle();
    const refused = await open(port, '127.0.0.4');
    await refused.answers(1);
    assert.match(refused.received(), /^HTTP\/1\.1 429 /);
    const body = JSON.parse(refused.received().split('\r\n\r\n')[1]!);
    assert.equal(body.status, 429);
    assert.match(body.error, /Too many open connections from this address/);
    assert.match(body.requestId, /^[0-9a-f-]{36}$/);
    assert.equal(refused.closed(), true);
    // Other addresses are not affected.
    assert.match((await timedHealth(port, '127.0.0.3')).answer, /^HTTP\/1\.1 200/);
  });

  it('does not cap a trusted proxy by its address: all its clients share it', async () => {
    const clients: Client[] = [];
    for (let i = 0; i < PER_ADDRESS + 10; i++) clients.push(await idleClient(port, PROXY));
    await settle();
    assert.equal(clients.filter((c) => c.closed()).length, 0);
  });

  it(`near ${MAX_CONNECTIONS} connections, closes the longest-idle ones so that a new client gets in`, async () => {
    // Idle keep-alive connections from several addresses, each under its own cap, filling the server.
    const clients: Client[] = [];
    for (let i = 0; i < MAX_CONNECTIONS; i++) clients.push(await idleClient(port, `127.0.0.${5 + (i % 3)}`));
    await settle();
    const bystander = await timedHealth(port, '127.0.0.3');
    assert.match(bystander.answer, /^HTTP\/1\.1 200/);
    assert.ok(bystander.ms < 1000, `the bystander waited ${Math.round(bystander.ms)} ms`);
    // The longest-idle went first; the newest are still open.
    assert.equal(clients[0]!.closed(), true);
    assert.equal(clients.at(-1)!.closed(), false);
  });
});

describe('connection limits of orgplane serve', () => {
  after(stopAllServers);

  it('takes the keep-alive timeout and the per-address cap from flags, and refuses a trusted proxy that is not an address', async () => {
    const server = await startServe(['--database', 'sqlite::memory:', '--keep-alive-timeout', '2000', '--max-connections-per-address', '2']);
    const port = Number(new URL(server.url).port);
    const clients = [await idleClient(port, '127.0.0.2'), await idleClient(port, '127.0.0.2')];
    assert.match(clients[0]!.received(), /Keep-Alive: timeout=2\r\n/i);
    await idleClient(port, '127.0.0.2');
    await settle();
    assert.equal(clients[0]!.closed(), true, 'a third connection from one address did not replace the first');
    for (const s of opened.splice(0)) s.destroy();
    await server.stop();
    const refused = runCli(['serve', '--port', '0', '--database', 'sqlite::memory:', '--trust-proxy', '10.0.0.1,loopback']);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /invalid trusted proxy "loopback"/);
  });
});
