import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { renderClientSchema, SCHEMA_FILE } from '../../scripts/generate-client.js';
import { request, startTestServer, type TestServer } from '../helpers/server.js';

const vendor = JSON.parse(readFileSync(new URL('../fixtures/vendor-names.json', import.meta.url), 'utf8')) as {
  operations: Record<string, { operationId: string; parameters: string[]; resultProperties?: string[]; bodyProperties?: string[] }>;
};
/** Vendor fields orgplane deliberately does not implement (custom roles). */
const NOT_IMPLEMENTED = new Set(['assignedRoles', 'assignedRoleIds']);

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

  const resultOf = (op: Json) => op.responses['200'].content['application/json'].schema.properties.result;
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

  it('lists no internal routes (the document itself, docs assets, 405 handlers)', () => {
    for (const path of Object.keys(doc.paths)) assert.ok(path === '/health' || path === '/ready' || path.startsWith('/v1/organizations'), path);
  });

  it('has committed client types generated from this very document', async () => {
    assert.equal(readFileSync(SCHEMA_FILE, 'utf8'), await renderClientSchema(), 'src/client/schema.ts is stale: run npm run generate:client');
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
});
