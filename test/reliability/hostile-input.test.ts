import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { testBackends } from '../helpers/backends.js';
import { createApiKey } from '../helpers/keys.js';
import { basic, request, startTestServer, type Credentials, type TestServer } from '../helpers/server.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const RUNS = Number(process.env.ORGPLANE_FUZZ_RUNS ?? 1000);

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
      fc.dictionary(fc.constantFrom('from_date', 'to_date', 'limit', 'from_date[]'), weirdText, { maxKeys: 2 }).map((d) => `?${new URLSearchParams(d)}`),
    );
    const nested = fc.integer({ min: 1, max: 5000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`);
    const body = fc.oneof(
      fc.constant(undefined),
      fc.json({ depthSize: 'small' }),
      fc.anything({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null'),
      fc.record({ name: fc.oneof(weirdText, fc.anything({ maxDepth: 1 })), enableCoreDumps: fc.anything({ maxDepth: 1 }) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
      fc.record({ name: weirdText, roles: fc.array(fc.constantFrom('admin', 'developer', 'query_endpoints', 'root', ''), { maxLength: 4 }), expireAt: fc.oneof(fc.constant(null), weirdText, fc.date().map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toISOString()))), ipAccessList: fc.array(fc.record({ source: weirdText }), { maxLength: 2 }) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
      fc.record({ privateEndpoints: fc.record({ add: fc.array(fc.record({ id: weirdText, cloudProvider: fc.constantFrom('aws', 'gcp', 'azure', 'ibm'), region: fc.constantFrom('us-east-1', 'us-east1', 'eastus', 'moon') }, { requiredKeys: [] }), { maxLength: 3 }), remove: fc.array(fc.record({ id: weirdText }), { maxLength: 2 }) }, { requiredKeys: [] }) }).map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 200 }),
      nested,
      fc.constant('{"name":"' + 'a'.repeat(2 * 1024 * 1024) + '"}'),
      fc.constant('{"__proto__":{"polluted":true},"name":"proto"}'),
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

    it('never answers 5xx, always in the envelope with a fresh requestId, and changes nothing on 4xx', { timeout: 300_000 }, async () => {
      await fc.assert(
        fc.asyncProperty(method, path, query, body, contentType, authHeader, async (m, p, q, b, type, auth) => {
          tried++;
          const before = await snapshot();
          const headers: Record<string, string> = {};
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
  });
}
