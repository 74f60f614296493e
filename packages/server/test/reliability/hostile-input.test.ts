import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { testBackends } from '../helpers/backends.js';
import { createApiKey } from '../helpers/keys.js';
import { basic, request, startTestServer, type Credentials, type TestServer } from '../helpers/server.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const RUNS = Number(process.env.ORGPLANE_FUZZ_RUNS ?? 1000);

interface RawAnswer {
  status: number;
  headers: string;
  body: string;
}

/**
 * Writes `payload` (several requests) at once on one connection, then reads
 * until `expected` answers arrived or the server closed it; each answer is
 * framed by its Content-Length or, for a streamed list, its chunks.
 */
/** The first complete answer in `buffer` and the bytes it took, or undefined while it is incomplete. */
function nextAnswer(buffer: Buffer): { answer: RawAnswer; used: number } | undefined {
  const end = buffer.indexOf('\r\n\r\n');
  if (end === -1) return undefined;
  const headers = buffer.subarray(0, end).toString('latin1');
  const status = Number(headers.slice(9, 12));
  let at = end + 4;
  if (!/\r\ntransfer-encoding: *chunked/i.test(headers)) {
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(headers)?.[1] ?? 0);
    if (buffer.length < at + length) return undefined;
    return { answer: { status, headers, body: buffer.subarray(at, at + length).toString('utf8') }, used: at + length };
  }
  const parts: Buffer[] = [];
  for (;;) {
    const lineEnd = buffer.indexOf('\r\n', at);
    if (lineEnd === -1) return undefined;
    const size = parseInt(buffer.subarray(at, lineEnd).toString('latin1'), 16);
    if (buffer.length < lineEnd + 2 + size + 2) return undefined;
    parts.push(buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
    if (size === 0) return { answer: { status, headers, body: Buffer.concat(parts).toString('utf8') }, used: at };
  }
}

function pipeline(port: number, payload: string, expected: number): Promise<RawAnswer[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let buffer = Buffer.alloc(0);
    const answers: RawAnswer[] = [];
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answers);
    };
    const timer = setTimeout(() => reject(new Error(`only ${answers.length} of ${expected} answers within 10 s`)), 10_000);
    socket.on('error', () => finish());
    socket.on('close', finish);
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (let answer = nextAnswer(buffer); answer; answer = nextAnswer(buffer)) {
        answers.push(answer.answer);
        buffer = buffer.subarray(answer.used);
      }
      if (answers.length >= expected) finish();
    });
    socket.write(payload);
  });
}

for (const backend of testBackends()) {
  describe(`hostile input [${backend}]`, () => {
    let server: TestServer;
    let fuzzer: Credentials;
    let tried = 0;
    const seenRequestIds = new Set<string>();

    before(async () => {
      server = await startTestServer({ backend });
      fuzzer = await createApiKey(server, { name: 'fuzzer' });
    });
    after(async () => {
      process.stdout.write(`# hostile input [${backend}]: ${tried} generated requests\n`);
      await server.close();
    });

    /** Everything a request could change, read with a key the fuzzer never targets. */
    async function snapshot(): Promise<string> {
      const base = `/v1/organizations/${server.organizationId}`;
      const parts = await Promise.all([base, `${base}/keys`, `${base}/activities`].map((p) => request(server, 'GET', p, { auth: server.admin })));
      // usedAt is usage tracking, written after any successful authentication, not state a request changes.
      return JSON.stringify(parts.map((p) => p.body.result), (key, value) => (key === 'usedAt' ? undefined : value));
    }

    const org = () => server.organizationId;
    const weirdText = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), maxLength: 8 }),
      fc.constant('x'.repeat(300)),
      fc.constant(''),
      // Lone surrogates (JSON.stringify escapes them as \ud800, which JSON.parse turns back into one).
      fc.constantFrom('\ud800X', 'a\udfff', '\udc00\ud800', 'ok\ud83d'),
    );
    // Instants at and past the edges of years 0000–9999 (after the offset), and malformed ones.
    const edgeInstant = fc.constantFrom(
      '9999-12-31T23:59:59-23:59',
      '9999-12-31T23:59:59Z',
      '+010000-01-01T00:00:00Z',
      '10000-01-01T00:00:00Z',
      '0000-01-01T00:00:00+00:01',
      '-000001-01-01T00:00:00Z',
      '2026-02-30T00:00:00Z',
      '9999-12-31',
      '10000-01-01',
    );
    const idSegment = fc.oneof(fc.uuid().map(String), fc.constant('not-a-uuid'), fc.constant(`urn:uuid:${randomUUID()}`), fc.constant('%00'), fc.constant('..'), fc.string({ maxLength: 50 }).map(encodeURIComponent));
    // Segments the router itself chokes on, before any route or schema runs: broken percent-encodings,
    // over-long parameters (past find-my-way's default of 100 and past Node's header limit) and odd characters.
    const badEncoding = fc.oneof(
      fc.constantFrom('%', '%%', '%2', '%zz', '%E0%A4%A', '%C3', '%FF', '%ED%A0%80', '%C0%AF', '%F4%90%80%80', '%u0041'),
      fc.tuple(fc.string({ maxLength: 10 }).map(encodeURIComponent), fc.constantFrom('%', '%E0%A4', '%G1'), fc.string({ maxLength: 10 }).map(encodeURIComponent)).map((parts) => parts.join('')),
    );
    const longSegment = fc.oneof(
      fc.integer({ min: 90, max: 4000 }).map((n) => 'a'.repeat(n)),
      fc.integer({ min: 17, max: 400 }).map((n) => encodeURIComponent('é'.repeat(n))),
      fc.constant('x'.repeat(20_000)),
    );
    const oddSegment = fc.string({ unit: fc.constantFrom(...`!$&'()*+,;=:@[]{}|^\`~"<> .%`.split('')), maxLength: 12 });
    const hostileSegment = fc.oneof(badEncoding, longSegment, oddSegment);
    const hostilePath = fc.oneof(
      hostileSegment.map((seg) => `/v1/organizations/${seg}`),
      hostileSegment.map((seg) => `/v1/organizations/${org()}/keys/${seg}`),
      hostileSegment.map((seg) => `/v1/organizations/${org()}/activities/${seg}`),
      hostileSegment.map((seg) => `/v1/organizations/${seg}/keys`),
      fc.tuple(fc.constantFrom('/', '/docs/', '/docs/static/', '/health/', '/v1/'), hostileSegment).map(([prefix, seg]) => `${prefix}${seg}`),
      fc.constantFrom('//v1/organizations', '/v1//organizations', '/v1/organizations/', '///', '/v1/organizations;a=b', '/docs/static/%00'),
    );
    const path = fc.oneof(
      hostilePath,
      fc.constant('/v1/organizations'),
      fc.constant(null).map(() => `/v1/organizations/${org()}`),
      idSegment.map((id) => `/v1/organizations/${id}`),
      fc.constant(null).map(() => `/v1/organizations/${org()}/activities`),
      idSegment.map((id) => `/v1/organizations/${org()}/activities/${id}`),
      fc.constant(null).map(() => `/v1/organizations/${org()}/keys`),
      idSegment.map((id) => `/v1/organizations/${org()}/keys/${id}`),
      fc.string({ maxLength: 30 }).map((s) => `/${encodeURIComponent(s)}`),
    );
    const query = fc.oneof(
      fc.constant(''),
      fc.constantFrom('?from_date=2025-01-01', '?to_date=2025-02-30', '?from_date=yesterday', '?from_date=a&from_date=b', '?x=1', '?from_date=2025-01-02&to_date=2025-01-01', '?to_date=%00'),
      fc.tuple(fc.constantFrom('from_date', 'to_date', '%zz', '%E0%A4%A', ''), badEncoding).map(([key, value]) => `?${key}=${value}`),
      fc.constantFrom('?', '?&&&', '?=', '?from_date', '?from_date=&to_date=', `?from_date=${'9'.repeat(5000)}`),
      fc.tuple(fc.constantFrom('from_date', 'to_date'), edgeInstant).map(([key, value]) => `?${key}=${encodeURIComponent(value)}`),
      fc.dictionary(fc.constantFrom('from_date', 'to_date', 'limit', 'from_date[]'), weirdText, { maxKeys: 2 }).map((d) => `?${new URLSearchParams(d)}`),
    );
    const nested = fc.integer({ min: 1, max: 5000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`);
    const body = fc.oneof(
      fc.constant(undefined),
      fc.json({ depthSize: 'small' }),
      fc.anything({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null'),
      fc.record({ name: fc.oneof(weirdText, fc.anything({ maxDepth: 1 })), enableCoreDumps: fc.anything({ maxDepth: 1 }) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
      fc.record({ name: weirdText, roles: fc.array(fc.constantFrom('admin', 'developer', 'query_endpoints', 'root', ''), { maxLength: 4 }), expireAt: fc.oneof(fc.constant(null), weirdText, edgeInstant, fc.date().map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toISOString()))), ipAccessList: fc.array(fc.record({ source: weirdText }), { maxLength: 2 }) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
      fc.record({ privateEndpoints: fc.record({ add: fc.array(fc.record({ id: weirdText, cloudProvider: fc.constantFrom('aws', 'gcp', 'azure', 'ibm'), region: fc.constantFrom('us-east-1', 'us-east1', 'eastus', 'moon') }, { requiredKeys: [] }), { maxLength: 3 }), remove: fc.array(fc.record({ id: weirdText }), { maxLength: 2 }) }, { requiredKeys: [] }) }).map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 200 }),
      nested,
      fc.constant('{"name":"' + 'a'.repeat(2 * 1024 * 1024) + '"}'),
      fc.constant('{"__proto__":{"polluted":true},"name":"proto"}'),
      fc.constantFrom('{"name":"\\ud800X"}', '{"\\udfff":1}', '{"name":"a","ipAccessList":[{"source":"10.0.0.1","description":"\\ud83d"}]}'),
    );
    const contentType = fc.constantFrom(undefined, 'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', '', 'application/JSON');
    const authHeader = fc.oneof(
      fc.constant(null).map(() => basic(fuzzer)),
      fc.constant(null).map(() => basic(fuzzer)),
      fc.constant(undefined),
      fc.constantFrom('Basic', 'Basic ', 'Basic !!!', 'Bearer abc', `Basic ${Buffer.from('nocolon').toString('base64')}`, `Basic ${Buffer.from(':').toString('base64')}`),
      fc.string({ maxLength: 40 }).map((s) => `Basic ${Buffer.from(s).toString('base64')}`),
    );
    const method = fc.constantFrom('GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS', 'HEAD');
    // Long and odd headers: a User-Agent stored with activities, near and past Node's 16 KiB header limit, garbage forwarding.
    const extraHeaders = fc.record(
      {
        'user-agent': fc.oneof(weirdText.filter((v) => /^[\x20-\x7e]*$/.test(v)), fc.integer({ min: 1000, max: 15_000 }).map((n) => 'u'.repeat(n)), fc.constant('x'.repeat(20_000))),
        'x-forwarded-for': fc.constantFrom('not-an-ip', '1.2.3.4, , ,', '::ffff:999.1.1.1', 'x'.repeat(4000)),
        'x-padding': fc.integer({ min: 1, max: 40 }).map((n) => 'p'.repeat(n * 400)),
      },
      { requiredKeys: [] },
    );

    it('never answers 5xx, always in the envelope with a fresh requestId, and changes nothing on 4xx', { timeout: 300_000 }, async () => {
      await fc.assert(
        fc.asyncProperty(method, path, query, body, contentType, authHeader, extraHeaders, async (m, p, q, b, type, auth, extra) => {
          tried++;
          const before = await snapshot();
          const headers: Record<string, string> = { ...extra };
          if (type !== undefined && b !== undefined) headers['content-type'] = type;
          const res = await request(server, m, `${p}${q}`, {
            ...(auth ? { auth } : {}),
            ...(b !== undefined && m !== 'GET' && m !== 'HEAD' ? { rawBody: b } : {}),
            headers,
          });
          assert.ok(res.status < 500, `${res.status}: ${res.text}`);
          if (m === 'HEAD') return;
          assert.equal(res.body?.status, res.status, res.text);
          assert.match(res.body.requestId, UUID_V4);
          assert.ok(!seenRequestIds.has(res.body.requestId), 'requestId reused');
          seenRequestIds.add(res.body.requestId);
          if (res.status >= 400) {
            assert.equal(typeof res.body.error, 'string');
            assert.equal(await snapshot(), before, 'a refused request changed state');
          }
          assert.equal(({} as Record<string, unknown>).polluted, undefined);
        }),
        { numRuns: RUNS, seed: Number(process.env.ORGPLANE_FUZZ_SEED ?? 42), includeErrorInReport: true },
      );
    });

    // Requests that are well formed but for one hostile value (an instant past year 9999, a lone
    // surrogate, an over-long or control-character string): a 2xx must leave readable state
    // holding exactly what was sent, a 4xx nothing at all; never a 5xx, before or after a commit.
    it('a write that carries one hostile value is refused cleanly, or stored and read back as sent', { timeout: 300_000 }, async () => {
      const hostileText = fc.oneof(weirdText, fc.constantFrom('\ud800X', '\udfffz', 'tab\there', 'x'.repeat(5000)));
      const write = fc.oneof(
        fc.record({ name: hostileText, expireAt: fc.option(edgeInstant, { nil: undefined }) }, { requiredKeys: ['name'] }).map((b) => ({ method: 'POST', path: '/keys', body: { ...b, roles: ['developer'] } })),
        fc.record({ name: fc.constant('edge'), expireAt: edgeInstant }).map((b) => ({ method: 'POST', path: '/keys', body: { ...b, roles: ['developer'] } })),
        fc.record({ name: hostileText }).map((body) => ({ method: 'PATCH', path: '', body })),
        fc.record({ description: hostileText }).map((d) => ({ method: 'POST', path: '/keys', body: { name: 'allow', roles: ['developer'], ipAccessList: [{ source: '10.0.0.1', ...d }] } })),
        edgeInstant.map((instant) => ({ method: 'GET', path: `/activities?from_date=${encodeURIComponent(instant)}`, body: undefined })),
      );
      const base = () => `/v1/organizations/${org()}`;
      await fc.assert(
        fc.asyncProperty(write, async ({ method: m, path: p, body }) => {
          tried++;
          const b = body as Record<string, any> | undefined;
          const before = await snapshot();
          const res = await request(server, m, `${base()}${p}`, { auth: fuzzer, ...(b === undefined ? {} : { body: b }) });
          assert.ok(res.status < 500, `${m} ${p} ${JSON.stringify(b)}: ${res.status} ${res.text}`);
          assert.equal(res.body?.status, res.status, res.text);
          if (res.status >= 400) {
            assert.equal(await snapshot(), before, 'a refused request changed state');
            return;
          }
          // Everything readable stays readable after a commit.
          for (const read of [base(), `${base()}/keys`, `${base()}/activities`]) {
            const after = await request(server, 'GET', read, { auth: server.admin });
            assert.equal(after.status, 200, `${read} after ${m} ${p}: ${after.text}`);
          }
          if (m === 'POST') {
            const created = await request(server, 'GET', `${base()}/keys/${res.body.result.key.id}`, { auth: server.admin });
            assert.equal(created.body.result.name, b!.name, 'the key name read back differs from the one sent');
            if (b!.ipAccessList) assert.deepEqual(created.body.result.ipAccessList, b!.ipAccessList);
            assert.equal((await request(server, 'DELETE', `${base()}/keys/${res.body.result.key.id}`, { auth: server.admin })).status, 200);
          }
          if (m === 'PATCH') assert.equal((await request(server, 'GET', base(), { auth: server.admin })).body.result.name, b!.name);
        }),
        { numRuns: Math.max(50, Math.round(RUNS / 5)), seed: Number(process.env.ORGPLANE_FUZZ_SEED ?? 42), includeErrorInReport: true },
      );
    });

    // Bursts of pipelined requests on one connection, written at once and read only after the last one
    // is sent: every one is answered, in order, in the envelope, none with a 5xx.
    it('answers every request of a pipelined burst, in order and in the envelope, never with a 5xx', { timeout: 120_000 }, async () => {
      const port = Number(new URL(server.url).port);
      const burstItem = fc.record({ method: fc.constantFrom('GET', 'DELETE', 'OPTIONS', 'PUT'), path, query, auth: authHeader });
      await fc.assert(
        fc.asyncProperty(fc.array(burstItem, { minLength: 1, maxLength: 32 }), async (burst) => {
          tried += burst.length;
          // A path with characters a request line cannot carry raw would be refused by the parser and end the connection; keep them encodable.
          const lines = burst.map(({ method: m, path: p, query: q, auth }) => {
            const target = `${p}${q}`.replace(/[^\x21-\x7e]/g, (c) => encodeURIComponent(c));
            return `${m} ${target} HTTP/1.1\r\nHost: x\r\n${auth ? `Authorization: ${auth}\r\n` : ''}Content-Length: 0\r\n\r\n`;
          });
          const answers = await pipeline(port, lines.join(''), burst.length);
          assert.ok(answers.length >= 1, 'no answer at all');
          for (const [i, a] of answers.entries()) {
            assert.ok(a.status < 500, `request ${i} (${burst[i]!.method}): ${a.status} ${a.body}`);
            const parsed = JSON.parse(a.body);
            assert.equal(parsed.status, a.status);
            assert.match(parsed.requestId, UUID_V4);
          }
          // Only a response that closes the connection (an unparseable request line) may cut the burst short.
          if (answers.length < burst.length) assert.match(answers.at(-1)!.headers, /connection: close/i);
        }),
        { numRuns: Math.max(10, Math.round(RUNS / 20)), seed: Number(process.env.ORGPLANE_FUZZ_SEED ?? 42), includeErrorInReport: true },
      );
    });
  });
}
