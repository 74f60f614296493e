import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { basic, request, startTestServer, type TestServer } from '../helpers/server.js';

// Requests Node's HTTP layer would answer itself, with an empty body, sent over a raw socket.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface RawAnswer {
  statusLine: string;
  headers: Record<string, string>;
  body: string;
}

/** Reads HTTP answers off a socket, one at a time, each complete by its Content-Length. */
function reader(socket: Socket): { next(): Promise<RawAnswer> } {
  let buffered = '';
  let waiter: (() => void) | undefined;
  socket.on('data', (d) => {
    buffered += d;
    waiter?.();
  });
  socket.on('close', () => waiter?.());
  const parse = (): RawAnswer | undefined => {
    const end = buffered.indexOf('\r\n\r\n');
    if (end < 0) return undefined;
    const [statusLine, ...lines] = buffered.slice(0, end).split('\r\n');
    const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
    const length = Number(headers['content-length'] ?? 0);
    if (buffered.length < end + 4 + length) return undefined;
    const body = buffered.slice(end + 4, end + 4 + length);
    buffered = buffered.slice(end + 4 + length);
    return { statusLine: statusLine!, headers, body };
  };
  return {
    async next() {
      const deadline = Date.now() + 3000;
      for (;;) {
        const answer = parse();
        if (answer) return answer;
        if (socket.destroyed || Date.now() > deadline) throw new Error(`no complete answer: ${JSON.stringify(buffered)}`);
        await new Promise<void>((resolve) => {
          waiter = resolve;
          setTimeout(resolve, 50);
        });
      }
    },
  };
}

async function exchange(port: number, raw: string): Promise<RawAnswer> {
  const socket = connect({ host: '127.0.0.1', port });
  socket.on('error', () => {});
  const answers = reader(socket);
  socket.write(raw);
  try {
    return await answers.next();
  } finally {
    socket.destroy();
  }
}

function assertEnvelope(answer: RawAnswer, status: number, message: RegExp): void {
  assert.match(answer.statusLine, new RegExp(`^HTTP/1\\.1 ${status} `));
  assert.match(answer.headers['content-type'] ?? '', /^application\/json/);
  const body = JSON.parse(answer.body);
  assert.deepEqual(Object.keys(body).sort(), ['error', 'requestId', 'status']);
  assert.equal(body.status, status);
  assert.match(body.requestId, UUID);
  assert.match(body.error, message);
}

describe('protocol errors in the envelope', () => {
  let server: TestServer;
  let port: number;
  let path: string;
  before(async () => {
    server = await startTestServer();
    port = Number(new URL(server.url).port);
    path = `/v1/organizations/${server.organizationId}`;
  });
  after(() => server.close());

  it('answers an HTTP/1.1 request without Host with a 400 naming the header, and closes', async () => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('error', () => {});
    const closed = new Promise((resolve) => socket.on('close', resolve));
    const answers = reader(socket);
    socket.write('GET /health HTTP/1.1\r\n\r\n');
    const answer = await answers.next();
    assertEnvelope(answer, 400, /Host header/);
    assert.equal(answer.headers.connection, 'close');
    await closed;
  });

  it('still serves an HTTP/1.0 request without Host, which may omit it', async () => {
    const answer = await exchange(port, 'GET /health HTTP/1.0\r\n\r\n');
    assert.match(answer.statusLine, /^HTTP\/1\.1 200 /);
  });

  it('answers an Expect other than 100-continue with a 417, and the connection goes on', async () => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('error', () => {});
    const answers = reader(socket);
    socket.write(`GET /health HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\n\r\n`);
    assertEnvelope(await answers.next(), 417, /Expect: 100-continue/);
    socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.match((await answers.next()).statusLine, /^HTTP\/1\.1 200 /);
    socket.destroy();
  });

  it('still answers Expect: 100-continue with 100 Continue, then the request', async () => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('error', () => {});
    const answers = reader(socket);
    const body = JSON.stringify({ name: 'Continued' });
    socket.write(
      `PATCH ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: ${basic(server.admin)}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`,
    );
    assert.match((await answers.next()).statusLine, /^HTTP\/1\.1 100 Continue/);
    socket.write(body);
    const answer = await answers.next();
    socket.destroy();
    assert.match(answer.statusLine, /^HTTP\/1\.1 200 /);
    assert.equal(JSON.parse(answer.body).result.name, 'Continued');
  });

  for (const method of ['TRACE', 'PROPFIND', 'SEARCH', 'PURGE', 'M-SEARCH']) {
    it(`answers ${method} on a known path with 405 and Allow, on an unknown one with 404`, async () => {
      const known = await exchange(port, `${method} ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
      assertEnvelope(known, 405, /supports GET, HEAD, PATCH/);
      assert.equal(known.headers.allow, 'GET, HEAD, PATCH');
      assertEnvelope(await exchange(port, `${method} /health HTTP/1.1\r\nHost: x\r\n\r\n`), 405, /supports GET, HEAD/);
      assertEnvelope(await exchange(port, `${method} /v1/nothing-here HTTP/1.1\r\nHost: x\r\n\r\n`), 404, /No route/);
    });
  }

  it('keeps those methods out of the OpenAPI document', async () => {
    const document = (await request(server, 'GET', '/v1')).body;
    const methods = new Set(Object.values(document.paths as Record<string, object>).flatMap((operations) => Object.keys(operations)));
    assert.deepEqual([...methods].filter((m) => !['get', 'post', 'patch', 'delete'].includes(m)), []);
  });
});
