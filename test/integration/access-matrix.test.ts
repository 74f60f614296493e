import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  appV1Operations,
  CALLERS,
  callerCredentials,
  concretePath,
  EXPECTATIONS,
  expectedStatus,
  operationName,
  type Caller,
  type MatrixContext,
} from '../helpers/access-matrix.js';
import { testBackends } from '../helpers/backends.js';
import { KeyApi, snapshot, UNKNOWN_UUID } from '../helpers/key-api.js';
import { request, startTestServer, type TestServer } from '../helpers/server.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

// The routes under test are the app's own: every /v1 operation its OpenAPI document lists.
const operations = await appV1Operations();

describe('access matrix coverage', () => {
  it('has an expectation for every /v1 operation the app serves', () => {
    const missing = operations.filter((op) => !(op.operationId in EXPECTATIONS));
    assert.deepEqual(
      missing.map((op) => `${operationName(op)} (${op.operationId})`),
      [],
      `/v1 operations without an entry in EXPECTATIONS (test/helpers/access-matrix.ts): ${missing.map((op) => `${operationName(op)} (${op.operationId})`).join(', ')}`,
    );
  });

  it('expects no operation the app does not serve', () => {
    const served = new Set(operations.map((op) => op.operationId));
    const stale = Object.keys(EXPECTATIONS).filter((id) => !served.has(id));
    assert.deepEqual(stale, [], `EXPECTATIONS (test/helpers/access-matrix.ts) names operations the app does not serve: ${stale.join(', ')}`);
  });
});

for (const backend of testBackends()) {
  describe(`access matrix [${backend}]`, () => {
    let server: TestServer;
    let keys: KeyApi;
    let credentials: Record<Caller, string | undefined>;
    let ctx: MatrixContext;
    const unauthorizedBodies = new Set<string>();

    before(async () => {
      server = await startTestServer({ backend });
      keys = new KeyApi(server);
      credentials = await callerCredentials(server);
      const activities = await request(server, 'GET', `/v1/organizations/${server.organizationId}/activities`, { auth: server.admin });
      ctx = { server, activityId: activities.body.result[0].id };
    });
    after(() => server.close());

    for (const op of operations) {
      const expectation = EXPECTATIONS[op.operationId];
      if (!expectation) continue; // reported by 'has an expectation for every /v1 operation the app serves'
      for (const caller of CALLERS) {
        const expected = expectedStatus(expectation, caller);
        it(`${operationName(op)} as ${caller} → ${expected}`, async () => {
          const path = (await concretePath(op, ctx)) + (expectation.query ? `?${expectation.query}` : '');
          const auth = credentials[caller];
          const before = expected === 200 ? undefined : await snapshot(keys);
          const res = await request(server, op.method, path, {
            ...(auth ? { auth } : {}),
            ...(expectation.body ? { body: expectation.body(ctx) } : {}),
          });
          assert.equal(res.status, expected, res.text);
          assert.equal(res.body.status, expected);
          assert.match(res.body.requestId, UUID_V4);
          if (expected === 200) {
            assert.ok(!('error' in res.body));
          } else {
            assert.equal(typeof res.body.error, 'string');
            assert.ok(!('result' in res.body));
            assert.deepEqual(await snapshot(keys), before, 'a refused request changed keys or activities');
          }
          if (expected === 401) {
            assert.match(res.headers.get('www-authenticate') ?? '', /^Basic/);
            unauthorizedBodies.add(res.body.error);
          }
          if (caller === 'otherOrg' && expected === 200) {
            // The foreign key sees only its own organization.
            assert.ok(!res.text.includes(server.organizationId));
          }
        });
      }
    }

    it('gives every kind of 401 the same message, so no key existence can be inferred', () => {
      assert.equal(unauthorizedBodies.size, 1, [...unauthorizedBodies].join(' | '));
    });

    it('refuses a foreign key 403 for an organization that does not exist either', async () => {
      const res = await request(server, 'GET', '/v1/organizations/6f1d1a58-8e8f-4c37-9a57-0a3c1f1f0b11', { auth: credentials.admin! });
      assert.equal(res.status, 403);
    });

    it('refuses an admin key 403, not 404, on the /keys of an organization that does not exist', async () => {
      const res = await request(server, 'GET', `/v1/organizations/${UNKNOWN_UUID}/keys`, { auth: server.admin });
      assert.equal(res.status, 403, res.text);
    });

    it("refuses another organization's admin 403 for its own key addressed under this organization's path", async () => {
      const other = await server.bootstrap('Intruder org', 'admin');
      const ownId = (await new KeyApi(server, server, other.organizationId, other).list())[0].id;
      assert.equal((await request(server, 'GET', keys.keyPath(ownId), { auth: other })).status, 403);
    });
  });
}
