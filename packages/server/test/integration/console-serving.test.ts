import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { consoleDistDir } from '../../src/http/console-ui.js';
import { copyBuiltCli, startServe, stopAllServers } from '../helpers/cli.js';
import { request, startTestServer, type TestServer } from '../helpers/server.js';

// The console's build as the server finds it (the @orgplane/console package), read here independently:
// the answers must be these bytes.
const DIST = consoleDistDir();
assert.ok(DIST, '@orgplane/console is not installed');
const distFiles = readdirSync(DIST, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile())
  .map((e) => relative(DIST, join(e.parentPath, e.name)).split(sep).join('/'));
const INDEX = readFileSync(join(DIST, 'index.html'));
// The entry script and style sheet the page loads, whatever the build named them.
const SCRIPT = /<script[^>]*\ssrc="\/console\/(assets\/[^"]+\.js)"/.exec(INDEX.toString())?.[1];
const STYLE = /<link[^>]*\shref="\/console\/(assets\/[^"]+\.css)"/.exec(INDEX.toString())?.[1];
assert.ok(SCRIPT && STYLE, `index.html loads no /console/assets/ script or style sheet:\n${INDEX}`);

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};
const IMMUTABLE = 'public, max-age=31536000, immutable';

interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * One request through node:http: the path goes on the wire as written (fetch would resolve `..` and
 * `%2e%2e` before sending), and no header is added (fetch adds Cache-Control to conditional requests).
 */
function raw(server: { url: string }, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(server.url);
    const req = httpRequest({ hostname, port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

function assertSecurityHeaders(answer: RawAnswer, what: string): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) assert.equal(answer.headers[name], value, `${name} of ${what}`);
}

function assertNotFound(answer: RawAnswer, path: string): void {
  assert.equal(answer.status, 404, `${path}: ${answer.body}`);
  assert.match(String(answer.headers['content-type']), /^application\/json/);
  const body = JSON.parse(answer.body.toString());
  assert.deepEqual(Object.keys(body).sort(), ['error', 'requestId', 'status']);
  assert.equal(body.status, 404);
  assert.equal(body.error, `No route GET ${path}`);
  assertSecurityHeaders(answer, path);
}

describe('the console at /console', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('serves index.html at /console and /console/, with no-cache and every security header', async () => {
    for (const path of ['/console', '/console/', '/console/?from=banner']) {
      const page = await raw(server, path);
      assert.equal(page.status, 200, path);
      assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
      assert.equal(page.headers['cache-control'], 'no-cache');
      assert.ok(page.headers.etag, 'the page has an ETag');
      assert.deepEqual(page.body, INDEX, path);
      assertSecurityHeaders(page, path);
    }
  });

  it("answers the console's own routes with index.html, so a reload or a shared link opens the view", async () => {
    for (const path of ['/console/keys', '/console/activity', '/console/keys/6c4c1c6e-2a39-4d43-9d2a-3a4b5f0e1a2b', '/console/members/', '/console/usage?from=2026-01-01']) {
      const page = await raw(server, path);
      assert.equal(page.status, 200, path);
      assert.equal(page.headers['content-type'], 'text/html; charset=utf-8', path);
      assert.equal(page.headers['cache-control'], 'no-cache', path);
      assert.deepEqual(page.body, INDEX, path);
      assertSecurityHeaders(page, path);
    }
  });

  it('serves every file of the build as it is on disk, hashed assets cached for good', async () => {
    const types: Record<string, RegExp> = { js: /^text\/javascript; charset=utf-8$/, css: /^text\/css; charset=utf-8$/, html: /^text\/html; charset=utf-8$/ };
    for (const name of distFiles) {
      const answer = await raw(server, `/console/${name}`);
      assert.equal(answer.status, 200, name);
      assert.deepEqual(answer.body, readFileSync(join(DIST, name)), name);
      const type = types[name.split('.').pop()!];
      if (type) assert.match(String(answer.headers['content-type']), type, name);
      assert.equal(answer.headers['cache-control'], name.startsWith('assets/') ? IMMUTABLE : 'no-cache', name);
      assertSecurityHeaders(answer, name);
    }
    assert.ok(distFiles.includes(SCRIPT!) && distFiles.includes(STYLE!));
  });

  it('answers If-None-Match with a 304 that keeps the ETag and the cache lifetime', async () => {
    for (const name of [SCRIPT!, STYLE!, '']) {
      const first = await raw(server, `/console/${name}`);
      const etag = String(first.headers.etag);
      assert.match(etag, /^"[\w-]+"$/);
      const again = await raw(server, `/console/${name}`, { 'if-none-match': etag });
      assert.equal(again.status, 304, name);
      assert.equal(again.body.length, 0);
      assert.equal(again.headers.etag, etag);
      assert.equal(again.headers['cache-control'], name ? IMMUTABLE : 'no-cache');
      assertSecurityHeaders(again, `304 of ${name}`);
      assert.equal((await raw(server, `/console/${name}`, { 'if-none-match': '"something-else"' })).status, 200);
    }
  });

  it('sends the script brotli or gzip compressed as the client accepts, each coding with its own ETag', async () => {
    const path = `/console/${SCRIPT}`;
    const plain = await raw(server, path);
    const br = await raw(server, path, { 'accept-encoding': 'gzip, deflate, br' });
    const gz = await raw(server, path, { 'accept-encoding': 'gzip' });
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(gz.headers['content-encoding'], 'gzip');
    for (const answer of [plain, br, gz]) {
      assert.equal(answer.headers.vary, 'Accept-Encoding');
      assert.equal(answer.headers['cache-control'], IMMUTABLE);
      assert.equal(answer.headers['content-type'], 'text/javascript; charset=utf-8');
    }
    assert.ok(br.body.length < plain.body.length, `brotli body is ${br.body.length} of ${plain.body.length} bytes`);
    assert.deepEqual(brotliDecompressSync(br.body), plain.body);
    assert.deepEqual(gunzipSync(gz.body), plain.body);
    assert.equal(new Set([plain.headers.etag, br.headers.etag, gz.headers.etag]).size, 3);
    assert.equal((await raw(server, path, { 'accept-encoding': 'br', 'if-none-match': String(br.headers.etag) })).status, 304);
    assert.equal((await raw(server, path, { 'accept-encoding': 'br', 'if-none-match': String(gz.headers.etag) })).status, 200);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    for (const [path, headers] of [['/console/', {}], ['/console/keys', {}], [`/console/${SCRIPT}`, { 'accept-encoding': 'br' }]] as const) {
      const get = await raw(server, path, headers);
      const head = await raw(server, path, headers, 'HEAD');
      assert.equal(head.status, 200, path);
      assert.equal(head.body.length, 0);
      assert.equal(head.headers['content-length'], String(get.body.length), path);
      for (const name of ['content-type', 'content-encoding', 'etag', 'cache-control']) assert.equal(head.headers[name], get.headers[name], `${name} of HEAD ${path}`);
      assertSecurityHeaders(head, `HEAD ${path}`);
    }
  });

  it('answers a missing file, or a path out of the build, with the 404 envelope', async () => {
    const paths = [
      '/console/assets/missing.js',
      '/console/assets/app',
      '/console/assets/',
      '/console/no-such-file.png',
      '/console/../package.json',
      '/console/%2e%2e/package.json',
      '/console/%2E%2E/%2e%2e/server/package.json',
      '/console/..%2fpackage.json',
      '/console/assets/..%2f..%2fpackage.json',
      '/console/assets/%2e%2e/index.html',
      '/console/%2e%2e%2f%2e%2e%2fserver%2fsrc%2fapp.ts',
      '/console/index.html%00.js',
    ];
    for (const path of paths) assertNotFound(await raw(server, path), path);
  });

  it('takes GET and HEAD only, and stays out of the OpenAPI document', async () => {
    const post = await request(server, 'POST', '/console/keys');
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
    const document = await request(server, 'GET', '/v1');
    assert.deepEqual(Object.keys(document.body.paths).filter((path) => path.includes('console')), []);
  });
});

describe('a server whose console is not built', () => {
  // A copy of the built CLI beside an @orgplane/console package with no dist/: the server finds the package
  // as it finds it installed (node_modules above the bundle) and must still start and answer everything else.
  const dir = mkdtempSync(join(tmpdir(), 'orgplane-console-'));
  const consolePackage = join(dir, 'server', 'node_modules', '@orgplane', 'console');
  let entry: string;
  before(() => {
    entry = copyBuiltCli(dir);
    mkdirSync(consolePackage, { recursive: true });
    writeFileSync(join(consolePackage, 'package.json'), JSON.stringify({ name: '@orgplane/console', version: '0.0.0', private: true }));
  });
  after(async () => {
    await stopAllServers();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts, answers /console with a 503 saying how to build it, then serves the build once it is there, read once', async () => {
    const serve = await startServe(['--database', 'sqlite::memory:', '--rate-limit', 'off'], {}, { entry });
    for (const path of ['/console/', '/console/keys', '/console/assets/index-1a2b3c.js']) {
      const answer = await raw(serve, path);
      assert.equal(answer.status, 503, path);
      const body = JSON.parse(answer.body.toString());
      assert.deepEqual(Object.keys(body).sort(), ['error', 'requestId', 'status']);
      assert.equal(body.status, 503);
      assert.match(body.error, /not built: run `npm run build`/);
      assertSecurityHeaders(answer, path);
    }
    assert.equal((await request(serve, 'GET', '/health')).status, 200);

    // Built after the server started: the next request finds it.
    mkdirSync(join(consolePackage, 'dist', 'assets'), { recursive: true });
    writeFileSync(join(consolePackage, 'dist', 'index.html'), '<!doctype html><title>built later</title>');
    writeFileSync(join(consolePackage, 'dist', 'assets', 'index-1a2b3c.js'), 'export {};');
    const page = await raw(serve, '/console/keys');
    assert.equal(page.status, 200);
    assert.equal(page.body.toString(), '<!doctype html><title>built later</title>');
    assert.equal((await raw(serve, '/console/assets/index-1a2b3c.js')).headers['cache-control'], IMMUTABLE);
    // Read once: a file changed on disk afterwards is not seen until a restart.
    writeFileSync(join(consolePackage, 'dist', 'index.html'), '<!doctype html><title>changed</title>');
    assert.equal((await raw(serve, '/console/')).body.toString(), '<!doctype html><title>built later</title>');
    assert.equal(await serve.stop(), 0);
    // The log is buffered; stopping flushed it.
    const warnings = serve.stdout().split('\n').filter((line) => line.includes('the console is not built'));
    assert.equal(warnings.length, 1, 'the operator is told once');
  });
});
