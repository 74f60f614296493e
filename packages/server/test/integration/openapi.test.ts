import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { renderClientSchema, SCHEMA_FILE } from '../../scripts/generate-client.js';
import { request, startTestServer, type TestServer } from '../helpers/server.js';

const vendor = JSON.parse(readFileSync(new URL('../fixtures/vendor-names.json', import.meta.url), 'utf8')) as {
  operations: Record<string, { operationId: string; tags: string[]; parameters: string[]; resultProperties?: string[]; bodyProperties?: string[] }>;
};
/** Vendor fields orgplane deliberately does not implement. */
const NOT_IMPLEMENTED = new Set<string>([]);

type Json = Record<string, any>;

describe('OpenAPI document at GET /v1', () => {
  let server: TestServer;
  let doc: Json;
  before(async () => {
    server = await startTestServer();
    const res = await request(server, 'GET', '/v1');
    assert.equal(res.status, 200);
    doc = res.body;
  });
  after(() => server.close());

  it('is served without authentication and is a valid OpenAPI 3.1 document', async () => {
    assert.equal(doc.openapi, '3.1.0');
    const validator = new Validator();
    const result = await validator.validate(doc);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 1));
  });

  it('declares Basic auth as basicAuth, public only for /health and /ready', () => {
    assert.deepEqual(doc.components.securitySchemes.basicAuth, { type: 'http', scheme: 'basic' });
    assert.deepEqual(doc.security, [{ basicAuth: [] }]);
    assert.deepEqual(doc.paths['/health'].get.security, []);
    assert.equal(doc.paths['/v1/organizations'].get.security, undefined);
  });

  // A text answer (Prometheus) has no JSON result.
  const resultOf = (op: Json) => op.responses['200'].content['application/json']?.schema.properties.result;
  const propertiesOf = (schema: Json | undefined): string[] => {
    if (!schema) return [];
    const s = schema.type === 'array' ? schema.items : schema;
    return Object.keys(s.properties ?? {}).sort();
  };

  for (const [operation, expected] of Object.entries(vendor.operations)) {
    const [method, path] = operation.split(' ') as [string, string];
    it(`matches the vendor for ${operation}`, () => {
      const op = doc.paths[path]?.[method.toLowerCase()];
      assert.ok(op, `${operation} is missing`);
      assert.equal(op.operationId, expected.operationId);
      assert.deepEqual(op.tags, expected.tags, 'grouped under the vendor\'s tag');
      assert.deepEqual((op.parameters ?? []).map((p: Json) => p.name).sort(), expected.parameters);
      for (const [ours, theirs] of [
        [propertiesOf(resultOf(op)), expected.resultProperties ?? []],
        [propertiesOf(op.requestBody?.content['application/json'].schema), expected.bodyProperties ?? []],
      ] as const) {
        assert.deepEqual(ours.filter((p) => !theirs.includes(p)), [], 'a property the vendor does not have');
        assert.deepEqual(theirs.filter((p) => !ours.includes(p) && !NOT_IMPLEMENTED.has(p)), [], 'a vendor property missing');
      }
    });
  }

  it('documents the error envelope for each status a route can return', () => {
    const patch = doc.paths['/v1/organizations/{organizationId}'].patch;
    assert.deepEqual(Object.keys(patch.responses).sort(), ['200', '400', '401', '403', '404', '413', '415', '429', '500', '503']);
    assert.deepEqual(Object.keys(patch.responses['401'].content['application/json'].schema.properties).sort(), ['error', 'requestId', 'status']);
    const list = doc.paths['/v1/organizations'].get;
    assert.ok(!('413' in list.responses) && '429' in list.responses && '401' in list.responses);
    assert.deepEqual(Object.keys(doc.paths['/ready'].get.responses).sort(), ['200', '500', '503']);
  });

  const operations = (): [string, Json][] =>
    Object.entries(doc.paths as Json).flatMap(([path, methods]) => Object.entries(methods as Json).map(([method, op]) => [`${method.toUpperCase()} ${path}`, op as Json] as [string, Json]));

  it('groups every operation under a declared tag: the vendor\'s for the API, one of its own for the probes', () => {
    const vendorTags = new Set(Object.values(vendor.operations).flatMap((o) => o.tags));
    const declared = new Map((doc.tags as Json[]).map((t) => [t.name as string, t.description as string]));
    const used = new Set<string>();
    for (const [name, op] of operations()) {
      assert.equal(op.tags?.length, 1, `${name} has tags ${JSON.stringify(op.tags)}`);
      const [tag] = op.tags as string[];
      assert.ok(declared.has(tag!), `${name}: tag ${tag} is not declared`);
      if (name.includes(' /v1/')) assert.ok(vendorTags.has(tag!), `${name}: ${tag} is not a vendor tag`);
      else assert.ok(!vendorTags.has(tag!), `${name}: the probes are orgplane's own, not under a vendor tag`);
      used.add(tag!);
    }
    assert.deepEqual([...declared.keys()].sort(), [...used].sort(), 'every declared tag is used');
    for (const [tag, description] of declared) assert.ok(description && description.length > 20, `${tag} has no description`);
  });

  it('shows an example for every request body and response, valid against its own schema', () => {
    const ajv = new Ajv2020.default({ strict: true, allErrors: true });
    addFormats.default(ajv);
    let checked = 0;
    const check = (where: string, media: Json | undefined) => {
      assert.ok(media?.schema, `${where} has no schema`);
      assert.ok('example' in media, `${where} has no example`);
      const validate = ajv.compile(media.schema);
      assert.ok(validate(media.example), `${where}: ${JSON.stringify(validate.errors)}`);
      // swagger-ui's own filler is "string" for every string: the examples must say something real.
      JSON.stringify(media.example, (_k, v) => {
        assert.notEqual(v, 'string', `${where} has a placeholder value`);
        return v;
      });
      checked++;
    };
    for (const [name, op] of operations()) {
      if (op.requestBody) check(`${name} request body`, op.requestBody.content['application/json']);
      for (const [status, response] of Object.entries(op.responses as Json)) {
        const text = response.content?.['text/plain'];
        check(`${name} ${status}`, text ?? response.content?.['application/json']);
        if (!text) assert.equal(response.content['application/json'].example.status, Number(status), `${name} ${status}`);
      }
      const ok = op.responses['200'].content['application/json']?.example ?? { result: op.responses['200'].content['text/plain'].example };
      if (!op.operationId.endsWith('Delete')) assert.ok(ok.result && (!Array.isArray(ok.result) || ok.result.length > 0), `${name}: empty result example`);
    }
    assert.ok(checked > 80, `${checked} examples checked`);
  });

  it('has examples the server agrees with: the request bodies are accepted, the 401 is the real one', async () => {
    const media = (path: string, method: string) => doc.paths[path][method].requestBody.content['application/json'].example;
    const org = `/v1/organizations/${server.organizationId}`;
    const patchOrg = await request(server, 'PATCH', org, { auth: server.admin, body: media('/v1/organizations/{organizationId}', 'patch') });
    assert.equal(patchOrg.status, 200, patchOrg.text);
    const created = await request(server, 'POST', `${org}/keys`, { auth: server.admin, body: media('/v1/organizations/{organizationId}/keys', 'post') });
    assert.equal(created.status, 200, created.text);
    const patchKey = await request(server, 'PATCH', `${org}/keys/${created.body.result.key.id}`, { auth: server.admin, body: media('/v1/organizations/{organizationId}/keys/{keyId}', 'patch') });
    assert.equal(patchKey.status, 200, patchKey.text);
    // The live answers have the example's shape, field for field.
    const example200 = (path: string, method: string) => doc.paths[path][method].responses['200'].content['application/json'].example;
    assert.deepEqual(Object.keys(patchOrg.body.result).sort(), Object.keys(example200('/v1/organizations/{organizationId}', 'patch').result).sort());
    assert.deepEqual(Object.keys(created.body.result).sort(), Object.keys(example200('/v1/organizations/{organizationId}/keys', 'post').result).sort());
    const unauthorized = await request(server, 'GET', org);
    assert.equal(doc.paths['/v1/organizations/{organizationId}'].get.responses['401'].content['application/json'].example.error, unauthorized.body.error);
  });

  it('lists no internal routes (the document itself, docs assets, 405 handlers)', () => {
    for (const path of Object.keys(doc.paths)) assert.ok(path === '/health' || path === '/ready' || path.startsWith('/v1/organizations'), path);
  });

  it('has committed client types generated from this very document', async () => {
    assert.equal(readFileSync(SCHEMA_FILE, 'utf8'), await renderClientSchema(), 'packages/client/src/schema.ts is stale: run npm run generate:client');
  });
});

describe('docs UI at /docs (loaded on first use)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('serves the UI page, its assets and this server\'s own document', async () => {
    const [page, asset, json, v1] = await Promise.all([
      request(server, 'GET', '/docs/'),
      request(server, 'GET', '/docs/static/swagger-ui-bundle.js'),
      request(server, 'GET', '/docs/json'),
      request(server, 'GET', '/v1'),
    ]);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type')!, /^text\/html/);
    assert.match(page.text, /swagger-ui/);
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get('content-type')!, /javascript/);
    assert.ok(asset.text.length > 100_000, `bundle is ${asset.text.length} bytes`);
    assert.equal(json.status, 200);
    assert.deepEqual(json.body, v1.body);
  });

  it('answers conditional requests for assets with 304 and unknown docs paths with the 404 envelope', async () => {
    const first = await request(server, 'GET', '/docs/static/index.css');
    const etag = first.headers.get('etag');
    assert.ok(etag, 'assets carry an ETag');
    // node:http, not fetch: fetch adds Cache-Control: no-cache to conditional requests.
    const again = await new Promise<number | undefined>((resolve, reject) => {
      get(`${server.url}/docs/static/index.css`, { headers: { 'if-none-match': etag } }, (res) => resolve(res.resume().statusCode)).on('error', reject);
    });
    assert.equal(again, 304);
    const missing = await request(server, 'GET', '/docs/no-such-file');
    assert.equal(missing.status, 404);
    assert.deepEqual(Object.keys(missing.body).sort(), ['error', 'requestId', 'status']);
    assert.equal(missing.body.error, 'No route GET /docs/no-such-file');
  });

  it('sends each asset compressed as the client accepts, the same bytes every time, with its own ETag per coding', async () => {
    const raw = (headers: Record<string, string>) =>
      new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
        get(`${server.url}/docs/static/swagger-ui-bundle.js`, { headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        }).on('error', reject);
      });
    const plain = await raw({});
    assert.equal(plain.status, 200);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.headers['cache-control'], 'no-cache');
    assert.equal(plain.headers.vary, 'Accept-Encoding');
    const br = await raw({ 'accept-encoding': 'gzip, deflate, br' });
    const gz = await raw({ 'accept-encoding': 'gzip;q=1, br;q=0' });
    const none = await raw({ 'accept-encoding': 'gzip;q=0, br;q=0, identity' });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(none.headers['content-encoding'], undefined);
    assert.ok(br.body.length < plain.body.length / 2, `brotli body is ${br.body.length} of ${plain.body.length} bytes`);
    assert.deepEqual(brotliDecompressSync(br.body), plain.body);
    assert.deepEqual(gunzipSync(gz.body), plain.body);
    assert.deepEqual(none.body, plain.body);
    const tags = new Set([plain.headers.etag, br.headers.etag, gz.headers.etag]);
    assert.equal(tags.size, 3, 'each coding has its own ETag');
    // Built once: a second request gets the same representation under the same tag.
    const brAgain = await raw({ 'accept-encoding': 'br' });
    assert.equal(brAgain.headers.etag, br.headers.etag);
    assert.deepEqual(brAgain.body, br.body);
    const notModified = await raw({ 'accept-encoding': 'br', 'if-none-match': String(br.headers.etag) });
    assert.equal(notModified.status, 304);
    assert.equal(notModified.body.length, 0);
    // Another coding's tag does not match this representation.
    assert.equal((await raw({ 'accept-encoding': 'br', 'if-none-match': String(gz.headers.etag) })).status, 200);
  });
});
