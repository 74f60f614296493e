import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { activitiesAfter, listActivities } from '../helpers/activities.js';
import { testBackends } from '../helpers/backends.js';
import { controlsSuite, setFaults } from '../helpers/controls.js';
import { createApiKey } from '../helpers/keys.js';
import { request, startTestServer, type TestServer } from '../helpers/server.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ORG_ROUTE = '/v1/organizations/{organizationId}';

function assertEnvelope(res: { status: number; body: any }, status: number): void {
  assert.equal(res.status, status);
  assert.deepEqual(Object.keys(res.body).sort(), ['error', 'requestId', 'status']);
  assert.equal(res.body.status, status);
  assert.match(res.body.requestId, UUID);
  assert.ok(res.body.error.length > 0, 'a message');
}

for (const backend of testBackends()) {
  describe(`fault injection [${backend}]`, () => {
    const suite = controlsSuite({ backend });

    it('fires exactly `times` times, then the real handler answers; GET shows the counts', async () => {
      const { server, orgPath } = suite;
      const set = await setFaults(server, { rules: [{ method: 'PATCH', route: ORG_ROUTE, status: 503, times: 2 }], seed: 42 });
      assert.equal(set.status, 200, set.text);
      assert.deepEqual(set.body.result, {
        rules: [{ method: 'PATCH', route: ORG_ROUTE, kind: 'status', status: 503, latencyMs: 0, probability: 1, times: 2, retryAfterSeconds: 1, fired: 0, remaining: 2 }],
        seed: 42,
      });
      for (let i = 0; i < 2; i++) {
        const res = await request(server, 'PATCH', orgPath, { auth: server.admin, body: { name: 'Renamed' } });
        assertEnvelope(res, 503);
        assert.equal(res.headers.get('retry-after'), '1');
      }
      const real = await request(server, 'PATCH', orgPath, { auth: server.admin, body: { name: 'Renamed' } });
      assert.equal(real.status, 200, real.text);
      assert.equal(real.body.result.name, 'Renamed');
      const listed = await request(server, 'GET', '/_orgplane/faults');
      assert.equal(listed.status, 200);
      assert.equal(listed.body.result.rules[0].fired, 2);
      assert.equal(listed.body.result.rules[0].remaining, 0);
    });

    it('a faulted PATCH, POST or DELETE changes nothing and writes no activity', async () => {
      const { server, orgPath } = suite;
      const key = await createApiKey(server, { name: 'survivor', roles: ['developer'] });
      const keysPath = `${orgPath}/keys`;
      const orgBefore = (await request(server, 'GET', orgPath, { auth: server.admin })).body.result;
      const keysBefore = (await request(server, 'GET', keysPath, { auth: server.admin })).body.result;
      const activitiesBefore = await listActivities(server, server.organizationId, server.admin);
      const set = await setFaults(server, {
        rules: [
          { method: 'PATCH', route: ORG_ROUTE, status: 500 },
          { method: 'POST', route: '/v1/organizations/{organizationId}/keys', status: 502, message: 'Bad gateway upstream' },
          { method: 'DELETE', route: '/v1/organizations/{organizationId}/keys/{keyId}', status: 504 },
        ],
      });
      assert.equal(set.status, 200, set.text);

      const patch = await request(server, 'PATCH', orgPath, { auth: server.admin, body: { name: 'Must not stick' } });
      assertEnvelope(patch, 500);
      assert.equal(patch.body.error, 'Internal server error');
      const post = await request(server, 'POST', keysPath, { auth: server.admin, body: { name: 'must not exist', roles: ['admin'] } });
      assertEnvelope(post, 502);
      assert.equal(post.body.error, 'Bad gateway upstream');
      assertEnvelope(await request(server, 'DELETE', `${keysPath}/${key.id}`, { auth: server.admin }), 504);

      await request(server, 'DELETE', '/_orgplane/faults');
      assert.deepEqual((await request(server, 'GET', orgPath, { auth: server.admin })).body.result, orgBefore);
      const keysAfter = (await request(server, 'GET', keysPath, { auth: server.admin })).body.result;
      assert.deepEqual(keysAfter.map((k: any) => k.id).sort(), keysBefore.map((k: any) => k.id).sort());
      assert.deepEqual(activitiesAfter(activitiesBefore, await listActivities(server, server.organizationId, server.admin)), []);
    });

    it('answers before authentication: no credentials still get the fault, and a 401 fault carries the Basic challenge', async () => {
      const { server, orgPath } = suite;
      await setFaults(server, { rules: [{ route: ORG_ROUTE, method: 'GET', status: 418 }, { route: '/v1/organizations', status: 401 }] });
      const teapot = await request(server, 'GET', orgPath);
      assertEnvelope(teapot, 418);
      assert.equal(teapot.body.error, "I'm a Teapot");
      const unauthorized = await request(server, 'GET', '/v1/organizations', { auth: server.admin });
      assertEnvelope(unauthorized, 401);
      assert.equal(unauthorized.headers.get('www-authenticate'), 'Basic realm="orgplane"');
    });

    it('matches on method and route only: other routes and methods get the real answer', async () => {
      const { server, orgPath } = suite;
      await setFaults(server, { rules: [{ method: 'GET', route: ORG_ROUTE, status: 500 }, { method: 'DELETE', status: 503 }] });
      assert.equal((await request(server, 'GET', orgPath, { auth: server.admin })).status, 500);
      assert.equal((await request(server, 'GET', '/v1/organizations', { auth: server.admin })).status, 200);
      assert.equal((await request(server, 'GET', `${orgPath}/activities`, { auth: server.admin })).status, 200);
      assert.equal((await request(server, 'PATCH', orgPath, { auth: server.admin, body: {} })).status, 200);
      assert.equal((await request(server, 'DELETE', `${orgPath}/keys/${crypto.randomUUID()}`, { auth: server.admin })).status, 503);
    });

    it('never faults the controls themselves, even with a rule for every request', async () => {
      const { server } = suite;
      await setFaults(server, { rules: [{ status: 503 }] });
      assert.equal((await request(server, 'GET', '/v1/organizations', { auth: server.admin })).status, 503);
      assert.equal((await request(server, 'GET', '/v1/nowhere')).status, 503, 'a rule without a route matches unknown paths too');
      assert.equal((await request(server, 'GET', '/_orgplane/faults')).status, 200);
      assert.equal((await request(server, 'GET', '/_orgplane/clock')).status, 200);
    });
  });
}

describe('fault injection: headers, kinds and rule validation', () => {
  const suite = controlsSuite({ rateLimit: { points: 50, windowSeconds: 10 } });

  it('a 429 fault carries the rate-limit headers of the configured limit, with its retryAfterSeconds', async () => {
    const { server, orgPath } = suite;
    await setFaults(server, { rules: [{ route: ORG_ROUTE, status: 429, retryAfterSeconds: 3 }] });
    const res = await request(server, 'GET', orgPath, { auth: server.admin });
    assertEnvelope(res, 429);
    assert.match(res.body.error, /Rate limit exceeded: 50 requests per 10 s/);
    assert.equal(res.headers.get('x-ratelimit-limit'), '50');
    assert.equal(res.headers.get('x-ratelimit-remaining'), '0');
    assert.equal(res.headers.get('x-ratelimit-reset'), '3');
    assert.equal(res.headers.get('retry-after'), '3');
  });

  it('a 429 fault without a configured limit shows the vendor default and waits 1 s', async () => {
    const unlimited = await startTestServer({ controls: {} });
    try {
      await setFaults(unlimited, { rules: [{ status: 429 }] });
      const res = await request(unlimited, 'GET', '/v1/organizations', { auth: unlimited.admin });
      assertEnvelope(res, 429);
      assert.equal(res.headers.get('x-ratelimit-limit'), '10');
      assert.equal(res.headers.get('x-ratelimit-reset'), '1');
      assert.equal(res.headers.get('retry-after'), '1');
    } finally {
      await unlimited.close();
    }
  });

  it('delays: a latency rule lets the request go on after the delay; a status rule answers after it', async () => {
    const { server, orgPath } = suite;
    await setFaults(server, {
      rules: [
        { kind: 'latency', method: 'GET', route: ORG_ROUTE, latencyMs: 300, times: 1 },
        { method: 'GET', route: '/v1/organizations', status: 503, latencyMs: 200, times: 1 },
      ],
    });
    let started = performance.now();
    const slow = await request(server, 'GET', orgPath, { auth: server.admin });
    assert.equal(slow.status, 200, slow.text);
    assert.ok(performance.now() - started >= 290, `took ${performance.now() - started} ms`);
    started = performance.now();
    const late = await request(server, 'GET', '/v1/organizations', { auth: server.admin });
    assertEnvelope(late, 503);
    assert.ok(performance.now() - started >= 190, 'answered after the delay');
    started = performance.now();
    assert.equal((await request(server, 'GET', orgPath, { auth: server.admin })).status, 200);
    assert.ok(performance.now() - started < 250, 'spent rules no longer delay');
  });

  it('a pending delay does not hold up the server closing', async () => {
    const closing = await startTestServer({ controls: {} });
    await setFaults(closing, { rules: [{ kind: 'latency', latencyMs: 20_000 }] });
    const pending = request(closing, 'GET', '/v1/organizations', { auth: closing.admin });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = performance.now();
    await closing.close();
    assert.ok(performance.now() - started < 5000, `closed in ${performance.now() - started} ms`);
    assert.equal((await pending).status, 200, 'the delayed request still got its answer');
  });

  it('reset-connection drops the connection without an answer, and the server keeps serving', async () => {
    const { server, orgPath } = suite;
    await setFaults(server, { rules: [{ kind: 'reset-connection', route: ORG_ROUTE, times: 2 }] });
    for (let i = 0; i < 2; i++) {
      await assert.rejects(fetch(`${server.url}${orgPath}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"name":"x"}' }), (err: any) => {
        assert.equal(err.name, 'TypeError');
        assert.match(String(err.cause?.code), /UND_ERR_SOCKET|ECONNRESET/);
        return true;
      });
    }
    const after = await request(server, 'GET', orgPath, { auth: server.admin });
    assert.equal(after.status, 200);
    assert.notEqual(after.body.result.name, 'x');
    // Many resets in parallel leave the connection guard counting right: new connections still get in.
    await setFaults(server, { rules: [{ kind: 'reset-connection', route: '/v1/organizations' }] });
    const results = await Promise.allSettled(Array.from({ length: 40 }, () => fetch(`${server.url}/v1/organizations`)));
    assert.ok(results.every((r) => r.status === 'rejected'), 'every request dropped');
    await request(server, 'DELETE', '/_orgplane/faults');
    const served = await Promise.all(Array.from({ length: 20 }, () => request(server, 'GET', '/v1/organizations', { auth: server.admin })));
    assert.deepEqual(new Set(served.map((r) => r.status)), new Set([200]));
  });

  it('GET lists the rules as stored and DELETE removes them all', async () => {
    const { server } = suite;
    await setFaults(server, { rules: [{ kind: 'latency', latencyMs: 1 }, { method: 'GET', status: 400, probability: 0 }], seed: 7 });
    const listed = await request(server, 'GET', '/_orgplane/faults');
    assert.deepEqual(listed.body.result, {
      rules: [
        { kind: 'latency', latencyMs: 1, probability: 1, fired: 0 },
        { method: 'GET', kind: 'status', status: 400, latencyMs: 0, probability: 0, fired: 0 },
      ],
      seed: 7,
    });
    assert.equal((await request(server, 'DELETE', '/_orgplane/faults')).status, 200);
    assert.deepEqual((await request(server, 'GET', '/_orgplane/faults')).body.result.rules, []);
  });

  it('refuses bad rules with a 400 naming the field, and keeps the rules it had', async () => {
    const { server } = suite;
    await setFaults(server, { rules: [{ route: ORG_ROUTE, method: 'GET', status: 500, times: 1 }] });
    const cases: [unknown, RegExp][] = [
      [{ rules: [{ route: '/v1/organisations', status: 500 }] }, /'rules\[0\]\.route'.*"\/v1\/organisations"/],
      [{ rules: [{ route: '/v1/organizations/:organizationId', status: 500 }] }, /'rules\[0\]\.route'/],
      [{ rules: [{ route: '/_orgplane/faults', status: 500 }] }, /'rules\[0\]\.route': the controls/],
      [{ rules: [{ status: 500, colour: 'red' }] }, /Unknown field 'rules\[0\]\.colour'/],
      [{ rules: [], extra: 1 }, /Unknown field 'extra'/],
      [{ rules: [{ method: 'GET' }] }, /Missing required field 'rules\[0\]\.status'/],
      [{ rules: [{ status: 600 }] }, /'rules\[0\]\.status'/],
      [{ rules: [{ status: 399 }] }, /'rules\[0\]\.status'/],
      [{ rules: [{ status: 500 }, { status: 500, probability: 1.5 }] }, /'rules\[1\]\.probability'/],
      [{ rules: [{ status: 500, times: 0 }] }, /'rules\[0\]\.times'/],
      [{ rules: [{ status: 500, latencyMs: 30_001 }] }, /'rules\[0\]\.latencyMs'/],
      [{ rules: [{ kind: 'latency' }] }, /Missing required field 'rules\[0\]\.latencyMs'/],
      [{ rules: [{ kind: 'latency', latencyMs: 5, status: 500 }] }, /'rules\[0\]\.status'/],
      [{ rules: [{ kind: 'reset-connection', message: 'bye' }] }, /'rules\[0\]\.message'/],
      [{ rules: [{ kind: 'explode' }] }, /'rules\[0\]\.kind': must be one of status, latency, reset-connection/],
      [{ rules: [{ status: 500, retryAfterSeconds: 5 }] }, /'rules\[0\]\.retryAfterSeconds'/],
      [{ rules: [{ method: 'PUT', route: ORG_ROUTE, status: 500 }] }, /'rules\[0\]\.method'.*takes/],
      [{ rules: [{ method: 'get', status: 500 }] }, /'rules\[0\]\.method'/],
      [{ rules: [{ status: 500 }], seed: -1 }, /'seed'/],
      [{ rules: [{ status: 500 }], seed: 1.5 }, /'seed'/],
      [{ rules: Array.from({ length: 101 }, () => ({ status: 500 })) }, /'rules'/],
      [{}, /Missing required field 'rules'/],
    ];
    for (const [body, message] of cases) {
      const res = await setFaults(server, body);
      assert.equal(res.status, 400, `${JSON.stringify(body).slice(0, 100)}: ${res.text}`);
      assert.match(res.body.error, message, JSON.stringify(body).slice(0, 100));
    }
    assert.equal((await setFaults(server, { rules: Array.from({ length: 100 }, () => ({ status: 500, probability: 0 })) })).status, 200, '100 rules are allowed');
    await setFaults(server, { rules: [{ route: ORG_ROUTE, method: 'GET', status: 500, times: 1 }] });
    assert.equal((await setFaults(server, { rules: [{ route: '/nope', status: 500 }] })).status, 400);
    const kept = await request(server, 'GET', '/_orgplane/faults');
    assert.deepEqual(kept.body.result.rules.map((r: any) => r.route), [ORG_ROUTE], 'a refused set leaves the rules as they were');
  });
});

describe('fault injection: seeded probability', () => {
  const servers: TestServer[] = [];
  before(async () => {
    for (let i = 0; i < 3; i++) servers.push(await startTestServer({ controls: {} }));
  });
  after(() => Promise.all(servers.map((s) => s.close())));

  /** Which of 40 requests were faulted, on a server whose rules were just set with this seed. */
  async function faultSequence(server: TestServer, seed: number): Promise<boolean[]> {
    assert.equal((await setFaults(server, { rules: [{ route: '/v1/organizations', status: 503, probability: 0.5 }], seed })).status, 200);
    const fired: boolean[] = [];
    for (let i = 0; i < 40; i++) fired.push((await request(server, 'GET', '/v1/organizations', { auth: server.admin })).status === 503);
    return fired;
  }

  it('the same seed and the same requests give the same faults, on another server too', async () => {
    const first = await faultSequence(servers[0]!, 42);
    assert.ok(first.includes(true) && first.includes(false), `both outcomes occur: ${first}`);
    assert.deepEqual(await faultSequence(servers[1]!, 42), first);
    assert.deepEqual(await faultSequence(servers[0]!, 42), first, 'setting the rules again starts the draws over');
    assert.notDeepEqual(await faultSequence(servers[2]!, 43), first);
    const fired = (await request(servers[1]!, 'GET', '/_orgplane/faults')).body.result.rules[0].fired;
    assert.equal(fired, first.filter(Boolean).length);
  });

  it('without a seed one is chosen and shown, and repeats the run when given back', async () => {
    const set = await setFaults(servers[0]!, { rules: [{ route: '/v1/organizations', status: 503, probability: 0.5 }] });
    const { seed } = set.body.result;
    assert.ok(Number.isInteger(seed), `seed ${seed}`);
    const run = [];
    for (let i = 0; i < 20; i++) run.push((await request(servers[0]!, 'GET', '/v1/organizations', { auth: servers[0]!.admin })).status === 503);
    assert.deepEqual((await faultSequence(servers[1]!, seed)).slice(0, 20), run);
  });
});

describe('fault injection: the controls token and serving without --controls', () => {
  it('needs the controls token when one is set', async () => {
    const server = await startTestServer({ controls: { token: 'faults-token-1234567890' } });
    try {
      for (const method of ['GET', 'POST', 'DELETE']) {
        const res = await request(server, method, '/_orgplane/faults', method === 'POST' ? { body: { rules: [] } } : {});
        assert.equal(res.status, 401, `${method}: ${res.text}`);
      }
      const res = await setFaults(server, { rules: [{ status: 503 }] }, 'faults-token-1234567890');
      assert.equal(res.status, 200, res.text);
      assert.equal((await request(server, 'GET', '/v1/organizations', { auth: server.admin })).status, 503);
    } finally {
      await server.close();
    }
  });

  it('is not there without --controls', async () => {
    const server = await startTestServer();
    try {
      for (const [method, path] of [['GET', '/_orgplane/faults'], ['POST', '/_orgplane/faults'], ['DELETE', '/_orgplane/faults']] as const) {
        const res = await request(server, method, path, method === 'POST' ? { body: { rules: [{ status: 503 }] } } : {});
        assert.equal(res.status, 404, `${method} ${path}`);
      }
      assert.equal((await request(server, 'GET', '/v1/organizations', { auth: server.admin })).status, 200);
    } finally {
      await server.close();
    }
  });
});
