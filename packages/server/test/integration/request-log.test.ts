import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SLOW_REQUEST_MS } from '../../src/http/request-log.js';
import { controlsSuite, setFaults } from '../helpers/controls.js';
import { createApiKey, type CreatedTestKey } from '../helpers/keys.js';
import { basic, request, startTestServer, type ApiResponse, type Credentials, type TestServer } from '../helpers/server.js';
import { eventually } from '../helpers/wait.js';

// SQLite only: the request line is written by the HTTP layer, the same on both backends.

const ORG_ROUTE = '/v1/organizations/{organizationId}';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** pino's numeric levels. */
const INFO = 30;
const WARN = 40;
const LINE_FIELDS = ['durationMs', 'level', 'method', 'msg', 'requestId', 'route', 'status', 'time'];

interface LogLine {
  level: number;
  msg: string;
  requestId?: string;
  [field: string]: unknown;
}

const parsed = (server: TestServer): LogLine[] => server.logs.map((line) => JSON.parse(line) as LogLine);
const requestLines = (server: TestServer): LogLine[] => parsed(server).filter((line) => line.msg === 'request');

/**
 * The 'request' lines of the answer's request, once it has one: the line is
 * written when the response has finished, which may be just after the client
 * has read it.
 */
async function linesOf(server: TestServer, res: ApiResponse): Promise<LogLine[]> {
  assert.match(res.body?.requestId, UUID, res.text);
  const of = () => requestLines(server).filter((line) => line.requestId === res.body.requestId);
  await eventually(async () => of().length > 0, 2000);
  return of();
}

/** The one 'request' line of the answer's request, with the fields every request line has and no other but keySuffix. */
async function lineOf(server: TestServer, res: ApiResponse): Promise<LogLine> {
  const lines = await linesOf(server, res);
  assert.equal(lines.length, 1, JSON.stringify(lines));
  const line = lines[0]!;
  assert.deepEqual(Object.keys(line).filter((field) => field !== 'keySuffix').sort(), LINE_FIELDS);
  assert.equal(line.status, res.status);
  assert.equal(typeof line.durationMs, 'number');
  return line;
}

/** Fails if any credential, or an Authorization value, is anywhere in the server's log. */
function assertNoCredentials(server: TestServer, keys: Credentials[]): void {
  const all = server.logs.join('\n');
  for (const key of keys) {
    for (const secret of [key.keyId, key.keySecret, basic(key).slice('Basic '.length)]) assert.equal(all.includes(secret), false, 'a credential in the log');
  }
  assert.doesNotMatch(all, /authorization/i);
}

describe('request log, access log off (the default)', () => {
  let server: TestServer;
  let developer: CreatedTestKey;
  before(async () => {
    server = await startTestServer();
    developer = await createApiKey(server, { name: 'developer', roles: ['developer'] });
  });
  after(() => server.close());
  const orgPath = () => `/v1/organizations/${server.organizationId}`;

  it('a 200 GET and a 200 PATCH write no request line', async () => {
    const get = await request(server, 'GET', orgPath(), { auth: server.admin });
    assert.equal(get.status, 200, get.text);
    const patch = await request(server, 'PATCH', orgPath(), { auth: server.admin, body: { name: 'Quiet' } });
    assert.equal(patch.status, 200, patch.text);
    // A request that is logged, answered after both: once its line is there, theirs would be too.
    await lineOf(server, await request(server, 'GET', '/v1/nowhere'));
    const ids = new Set([get.body.requestId, patch.body.requestId]);
    assert.deepEqual(parsed(server).filter((line) => ids.has(line.requestId)), []);
  });

  it('a 401 (wrong secret) writes one line at info, without a key suffix', async () => {
    const res = await request(server, 'GET', orgPath(), { auth: { keyId: server.admin.keyId, keySecret: 'wrong' } });
    assert.equal(res.status, 401, res.text);
    const line = await lineOf(server, res);
    assert.deepEqual({ ...line, time: undefined, durationMs: undefined }, {
      level: INFO, time: undefined, msg: 'request', requestId: res.body.requestId, method: 'GET', route: ORG_ROUTE, status: 401, durationMs: undefined,
    });
  });

  it("a 403 writes one line at info, with the caller's key suffix", async () => {
    const res = await request(server, 'PATCH', orgPath(), { auth: developer, body: { name: 'Not allowed' } });
    assert.equal(res.status, 403, res.text);
    const line = await lineOf(server, res);
    assert.equal(line.level, INFO);
    assert.equal(line.method, 'PATCH');
    assert.equal(line.route, ORG_ROUTE);
    assert.equal(line.keySuffix, developer.keyId.slice(-4));
  });

  it('a 404 on an unknown route writes one line whose route is null', async () => {
    const res = await request(server, 'GET', '/v1/nowhere', { auth: server.admin });
    assert.equal(res.status, 404, res.text);
    const line = await lineOf(server, res);
    assert.equal(line.level, INFO);
    assert.equal(line.route, null);
    assert.equal(line.method, 'GET');
  });

  it('a 400 (bad body) writes one line naming the route as the OpenAPI document does', async () => {
    const res = await request(server, 'POST', `${orgPath()}/keys`, { auth: server.admin, body: { name: 'no roles', roles: 'admin' } });
    assert.equal(res.status, 400, res.text);
    const line = await lineOf(server, res);
    assert.equal(line.level, INFO);
    assert.equal(line.method, 'POST');
    assert.equal(line.route, '/v1/organizations/{organizationId}/keys');
  });

  it('no credential, Authorization value or body is in the log', () => {
    assert.ok(requestLines(server).length >= 4);
    assertNoCredentials(server, [server.admin, developer]);
    assert.equal(server.logs.join('\n').includes('Not allowed'), false, 'a request body in the log');
  });
});

describe('request log, access log on', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ accessLog: true });
  });
  after(() => server.close());

  it('every request gets exactly one line, the 200s included', async () => {
    const orgPath = `/v1/organizations/${server.organizationId}`;
    const answers: Array<[ApiResponse, string | null]> = [
      [await request(server, 'GET', orgPath, { auth: server.admin }), ORG_ROUTE],
      [await request(server, 'PATCH', orgPath, { auth: server.admin, body: { name: 'Logged' } }), ORG_ROUTE],
      [await request(server, 'GET', '/v1/organizations', { auth: server.admin }), '/v1/organizations'],
      [await request(server, 'GET', orgPath, { auth: { keyId: server.admin.keyId, keySecret: 'wrong' } }), ORG_ROUTE],
      [await request(server, 'GET', '/v1/nowhere'), null],
    ];
    assert.deepEqual(answers.map(([res]) => res.status), [200, 200, 200, 401, 404]);
    for (const [res, route] of answers) {
      const line = await lineOf(server, res);
      assert.equal(line.level, INFO);
      assert.equal(line.route, route);
      assert.equal(line.keySuffix, res.status === 200 ? server.admin.keyId.slice(-4) : undefined);
    }
    assertNoCredentials(server, [server.admin]);
  });
});

describe('request log: 5xx and slow requests (emulator faults, access log off)', () => {
  const suite = controlsSuite();

  it('a 5xx is logged at warn with its requestId', async () => {
    const { server, orgPath } = suite;
    assert.equal((await setFaults(server, { rules: [{ method: 'GET', route: ORG_ROUTE, status: 503, times: 1 }] })).status, 200);
    const res = await request(server, 'GET', orgPath, { auth: server.admin });
    assert.equal(res.status, 503, res.text);
    const line = await lineOf(server, res);
    assert.equal(line.level, WARN);
    assert.equal(line.route, ORG_ROUTE);
    // The fault answers before authentication: no key is known.
    assert.equal(line.keySuffix, undefined);
  });

  it(`a request taking ${SLOW_REQUEST_MS} ms or more is logged at warn, with its duration`, async () => {
    const { server, orgPath } = suite;
    // A little over the threshold: a timer may fire a little before the request's clock says it is due.
    const set = await setFaults(server, { rules: [{ kind: 'latency', method: 'GET', route: ORG_ROUTE, latencyMs: SLOW_REQUEST_MS + 100, times: 1 }] });
    assert.equal(set.status, 200, set.text);
    const slow = await request(server, 'GET', orgPath, { auth: server.admin });
    assert.equal(slow.status, 200, slow.text);
    const line = await lineOf(server, slow);
    assert.equal(line.level, WARN);
    assert.equal(line.route, ORG_ROUTE);
    assert.equal(line.keySuffix, server.admin.keyId.slice(-4));
    assert.ok((line.durationMs as number) >= SLOW_REQUEST_MS, `durationMs ${String(line.durationMs)}`);
    // The rule is spent: the same request, fast again, is not logged.
    const fast = await request(server, 'GET', orgPath, { auth: server.admin });
    assert.equal(fast.status, 200, fast.text);
    await lineOf(server, await request(server, 'GET', '/v1/nowhere'));
    assert.deepEqual(parsed(server).filter((l) => l.requestId === fast.body.requestId), []);
  });
});

describe('request log: the per-request logger', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it("a line a request logs on its own (a key refused for its address) carries the request's requestId", async () => {
    const key = await createApiKey(server, { name: 'elsewhere', roles: ['admin'], ipAccessList: [{ source: '10.0.0.0/8' }] });
    const res = await request(server, 'GET', '/v1/organizations', { auth: key });
    assert.equal(res.status, 401, res.text);
    const ofRequest = () => parsed(server).filter((line) => line.requestId === res.body.requestId);
    await eventually(async () => ofRequest().length === 2, 2000);
    const [refused, line] = ofRequest();
    assert.deepEqual({ ...refused, time: undefined }, {
      level: WARN,
      time: undefined,
      msg: 'API key refused: the address is outside its IP allow list',
      requestId: res.body.requestId,
      keySuffix: key.keyId.slice(-4),
      address: '127.0.0.1',
    });
    assert.equal(line?.msg, 'request');
    assert.equal(line?.status, 401);
    assertNoCredentials(server, [server.admin, key]);
  });
});
