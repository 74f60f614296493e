import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DEFAULT_LIMITS } from '../../src/config.js';
import { openSocket, until } from '../helpers/availability.js';
import { copyBuiltCli, startServe, stopAllServers, type ServeProcess } from '../helpers/cli.js';
import { eventually, sleep } from '../helpers/wait.js';

// The kernel's send buffer of the connections `orgplane serve` accepts, read from the kernel with
// iproute2's `ss`: in its socket memory line, tb is the send buffer and the Send-Q column the bytes
// of answers the kernel holds for a client that has not read them.
const BUNDLE = 'GET /docs/static/swagger-ui-bundle.js HTTP/1.1\r\nHost: x\r\n\r\n';
/** The kernel takes a write while its queue is under the buffer, so the queue may pass it by one segment (64 KiB at most). */
const SEGMENT = 64 * 1024;

interface KernelSide {
  sendBuffer: number;
  sendQueue: number;
}

/** The server's side of the client's connection, as the kernel reports it. */
function serverSide(server: ServeProcess, client: Socket): KernelSide {
  const port = new URL(server.url).port;
  const out = execFileSync('ss', ['-tnmH', 'state', 'established', `( sport = :${port} and dport = :${client.localPort} )`], { encoding: 'utf8' });
  const queue = /^\s*\d+\s+(\d+)\s/.exec(out);
  const buffer = /\btb(\d+)\b/.exec(out);
  assert.ok(queue && buffer, `ss did not show the connection: ${out}`);
  return { sendQueue: Number(queue[1]), sendBuffer: Number(buffer[1]) };
}

/** Asks for the 1.7 MB docs bundle and never reads; resolves once the kernel holds what it will take of the answer. */
async function unreadBundle(server: ServeProcess): Promise<{ client: Socket; kernel: KernelSide }> {
  const client = await openSocket(server.url, new Set(), Date.now() + 5000);
  client.pause();
  client.write(BUNDLE);
  let kernel = serverSide(server, client);
  // The Send-Q grows while the server writes; it has settled once two looks 100 ms apart agree.
  const settled = await eventually(async () => {
    await sleep(100);
    const now = serverSide(server, client);
    const same = now.sendQueue > 0 && now.sendQueue === kernel.sendQueue;
    kernel = now;
    return same;
  }, 5000);
  assert.ok(settled, `the kernel's send queue did not settle: ${JSON.stringify(kernel)}`);
  process.stdout.write(`# send buffer ${kernel.sendBuffer} bytes, holding ${kernel.sendQueue}\n`);
  return { client, kernel };
}

async function closeClient(client: Socket): Promise<void> {
  const closed = until(client, 'close', Date.now() + 2000);
  client.destroy();
  await closed;
}

describe("the kernel's send buffer of each connection", () => {
  after(stopAllServers);

  it(`is ${DEFAULT_LIMITS.sendBufferBytes} bytes by default (the kernel doubles it), and bounds what it holds for a client that does not read`, async () => {
    const server = await startServe(['--database', 'sqlite::memory:']);
    const { client, kernel } = await unreadBundle(server);
    assert.equal(kernel.sendBuffer, 2 * DEFAULT_LIMITS.sendBufferBytes);
    assert.ok(kernel.sendQueue <= kernel.sendBuffer + SEGMENT, `the kernel holds ${kernel.sendQueue} bytes`);
    await closeClient(client);
    await server.stop();
  });

  it('is what --send-buffer and ORGPLANE_SEND_BUFFER say', async () => {
    for (const [args, env, bytes] of [
      [['--send-buffer', '65536'], {}, 65536],
      [[], { ORGPLANE_SEND_BUFFER: '1048576' }, 1048576],
    ] as const) {
      const server = await startServe(['--database', 'sqlite::memory:', ...args], env);
      const { client, kernel } = await unreadBundle(server);
      assert.equal(kernel.sendBuffer, 2 * bytes, JSON.stringify(args));
      assert.ok(kernel.sendQueue <= kernel.sendBuffer + SEGMENT, `the kernel holds ${kernel.sendQueue} bytes`);
      await closeClient(client);
      await server.stop();
    }
  });

  it("without the native addon: the server says so once at start-up, keeps the kernel's default, and serves", async () => {
    // A copy of the built CLI with no build/ directory beside it, as after an install without a C compiler.
    const dir = mkdtempSync(join(tmpdir(), 'orgplane-no-addon-'));
    try {
      const server = await startServe(['--database', 'sqlite::memory:'], {}, { entry: copyBuiltCli(dir) });
      const warnings = server.stdout().split('\n').filter((line) => line.includes('native addon was not built'));
      assert.equal(warnings.length, 1, server.stdout());
      assert.equal(JSON.parse(warnings[0]!).level, 40);
      const { client, kernel } = await unreadBundle(server);
      assert.notEqual(kernel.sendBuffer, 2 * DEFAULT_LIMITS.sendBufferBytes);
      // The kernel's autotuning (up to tcp_wmem's 4 MiB by default) takes far more of the answer than the cap would.
      assert.ok(kernel.sendQueue > 2 * DEFAULT_LIMITS.sendBufferBytes + SEGMENT, `the kernel holds only ${kernel.sendQueue} bytes`);
      await closeClient(client);
      const bundle = await fetch(`${server.url}/docs/static/swagger-ui-bundle.js`);
      assert.equal(bundle.status, 200);
      assert.ok((await bundle.arrayBuffer()).byteLength > 1_000_000);
      await server.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
