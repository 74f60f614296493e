import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { basic, request, startTestServer, type TestServer } from '../helpers/server.js';

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
}

describe('slow and abusive clients', () => {
  let server: TestServer;
  let port: number;
  before(async () => {
    server = await startTestServer({ limits: { headersTimeoutMs: 1000, requestTimeoutMs: 2000, maxConnections: 20 } });
    port = Number(new URL(server.url).port);
  });
  after(() => server.close());

  it('enforces the 1 MiB body limit while streaming a chunked body, before it is all sent', async () => {
    const socket = await open(port);
    let answer = '';
    socket.on('data', (d) => (answer += d));
    const closed = new Promise((resolve) => socket.on('close', resolve));
    socket.on('error', () => {});
    socket.write(
      `PATCH /v1/organizations/${server.organizationId} HTTP/1.1\r\nHost: x\r\nAuthorization: ${basic(server.admin)}\r\n` +
        'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
    );
    // Up to 8 MiB in 64 KiB chunks; the server must answer 413 long before the end.
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    while (sent < 8 * 1024 * 1024 && !answer && !socket.destroyed) {
      // Paced like a real upload, so the answer can arrive while the client is still sending.
      await new Promise((resolve) => socket.write(Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]), resolve));
      sent += chunk.length;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 2000))]);
    socket.destroy();
    assert.match(answer, /^HTTP\/1\.1 413/);
    assert.match(answer, /"status":413/);
    assert.ok(sent < 8 * 1024 * 1024, `the server read all ${sent} bytes before refusing`);
  });

  it('keeps serving others while a client trickles its headers', async () => {
    const slow = await open(port);
    slow.on('error', () => {});
    const closed = new Promise((resolve) => slow.on('close', resolve));
    slow.write('GET /v1/organizations HTTP/1.1\r\nHost: x\r\n');
    const timer = setInterval(() => !slow.destroyed && slow.write('X'), 50);
    for (let i = 0; i < 5; i++) assert.equal((await request(server, 'GET', '/v1/organizations', { auth: server.admin })).status, 200);
    const started = Date.now();
    await closed;
    clearInterval(timer);
    assert.ok(Date.now() - started < 3000);
  });
  it('refuses connections beyond the cap when none is idle, and serves again once they close', async () => {
    // Busy connections (authenticated request headers sent, the body never), so none can be shed
    // to make room: the request timeout is what ends them.
    const held: Socket[] = [];
    for (let i = 0; i < 20; i++) {
      const socket = await open(port);
      socket.on('error', () => {});
      socket.write(
        `PATCH /v1/organizations/${server.organizationId} HTTP/1.1\r\nHost: x\r\nAuthorization: ${basic(server.admin)}\r\n` +
          'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
      );
      held.push(socket);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const extra = await open(port);
    const closed = await new Promise<boolean>((resolve) => {
      extra.on('close', () => resolve(true));
      setTimeout(() => resolve(false), 1000);
    });
    assert.equal(closed, true, 'the 21st connection was not dropped');
    for (const s of held) s.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal((await request(server, 'GET', '/v1/organizations', { auth: server.admin })).status, 200);
  });

});
