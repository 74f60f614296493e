import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ORGANIZATION_PERMISSIONS } from '../../src/vocabulary/permissions.js';
import { ALL_ORGANIZATION_PERMISSIONS, appV1Operations, CALLER_KINDS, CALLERS, callerCredentials, concretePath, EXPECTATIONS, expectedOutcome, operationName, systemRoleIds, type Caller, type MatrixContext } from '../helpers/access-matrix.js';
import { testBackends } from '../helpers/backends.js';
import { KeyApi, snapshot as keysAndActivities, UNKNOWN_UUID } from '../helpers/key-api.js';
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

  it('lists every organization permission the app has, so CALLER_KINDS states what each caller is granted of all of them', () => {
    assert.deepEqual([...ALL_ORGANIZATION_PERMISSIONS].sort(), [...ORGANIZATION_PERMISSIONS].sort());
  });

  it('names only organization permissions, and every kind of caller', () => {
    for (const [id, expectation] of Object.entries(EXPECTATIONS)) assert.ok(ALL_ORGANIZATION_PERMISSIONS.includes(expectation.permission), `${id}: ${expectation.permission}`);
    assert.deepEqual(Object.keys(CALLER_KINDS).sort(), [...CALLERS].sort());
  });
});

/** Everything a refused request must leave as it was: the keys, the activities, the roles and the organization. */
async function snapshot(keys: KeyApi): Promise<unknown> {
  const server = keys.server;
  const roles = await request(server, 'GET', `/v1/organizations/${server.organizationId}/roles`, { auth: server.admin });
  const organization = await request(server, 'GET', `/v1/organizations/${server.organizationId}`, { auth: server.admin });
  assert.equal(roles.status, 200, roles.text);
  assert.equal(organization.status, 200, organization.text);
  return { ...(await keysAndActivities(keys)), roles: roles.body.result, organization: organization.body.result };
}

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
      const roles = await systemRoleIds(server);
      credentials = await callerCredentials(server, roles);
      const activities = await request(server, 'GET', `/v1/organizations/${server.organizationId}/activities`, { auth: server.admin });
      ctx = { server, activityId: activities.body.result[0].id, systemRoleIds: roles };
    });
    after(() => server.close());

    for (const op of operations) {
      const expectation = EXPECTATIONS[op.operationId];
      if (!expectation) continue; // reported by 'has an expectation for every /v1 operation the app serves'
      for (const caller of CALLERS) {
        const expected = expectedOutcome(expectation, caller);
        const succeeds = expected.status < 400;
        it(`${operationName(op)} as ${caller} → ${expected.status}`, async () => {
          const path = await concretePath(op, expectation, ctx);
          const auth = credentials[caller];
          const before = succeeds ? undefined : await snapshot(keys);
          const res = await request(server, op.method, path, {
            ...(auth ? { auth } : {}),
            ...(expectation.body ? { body: expectation.body(ctx) } : {}),
          });
          assert.equal(res.status, expected.status, res.text);
          // A text answer (Prometheus) has no envelope; its refusals do.
          if (succeeds && op.operationId === 'organizationPrometheusGet') {
            assert.match(res.text, /^# HELP ClickHouse_ServiceInfo /);
            return;
          }
          assert.equal(res.body.status, expected.status);
          assert.match(res.body.requestId, UUID_V4);
          if (succeeds) {
            assert.ok(!('error' in res.body));
          } else {
            assert.equal(typeof res.body.error, 'string');
            assert.ok(!('result' in res.body));
            assert.deepEqual(await snapshot(keys), before, 'a refused request changed keys, activities, roles or the organization');
          }
          if (expected.error !== undefined) assert.equal(res.body.error, expected.error);
          if (expected.status === 401) {
            assert.match(res.headers.get('www-authenticate') ?? '', /^Basic/);
            // The message and every header but Date: a 401 must not tell one kind of failure from another.
            const headers = [...res.headers].filter(([name]) => name !== 'date');
            unauthorizedBodies.add(JSON.stringify({ error: res.body.error, headers }));
          }
          if (caller === 'otherOrg' && succeeds) {
            // The foreign key sees only its own organization.
            assert.ok(!res.text.includes(server.organizationId));
          }
        });
      }
    }

    it('gives every kind of 401 (a valid key from outside its allow list included) the same message and headers, so neither key existence nor a right secret can be inferred', () => {
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
