import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeUnless, postgresSkipReason } from '../helpers/backends.js';
import { waitForKeyCache } from '../helpers/key-cache.js';
import { request, startTestServer, type TestServer } from '../helpers/server.js';

/**
 * On PostgreSQL every allowed request counts in the shared rate_limits table,
 * so the limit holds across instances; a key this instance saw go over its
 * budget is then refused from memory until its window ends: no statement
 * reaches the database for it, not even when its verified credential is due
 * to be read again.
 */
describeUnless(postgresSkipReason(), 'a key over its rate limit costs the database nothing until its window resets [postgres]', () => {
  const WINDOW_SECONDS = 30;
  let server: TestServer;
  let statements = 0;

  before(async () => {
    server = await startTestServer({ backend: 'postgres', rateLimit: { points: 3, windowSeconds: WINDOW_SECONDS } });
    // Counts the clients the server's pool hands out: Kysely takes one per statement, and the rate
    // limiter's pool.query takes one too (through this same connect, with a callback).
    const pool = server.database.pool as unknown as { connect: (...args: unknown[]) => unknown };
    const connect = pool.connect.bind(pool);
    pool.connect = (...args: unknown[]) => {
      statements++;
      return connect(...args);
    };
  });
  after(() => server.close());

  it('answers 429 with the vendor headers from memory, before and after the key would be read again, and counts other keys as before', async () => {
    const path = `/v1/organizations/${server.organizationId}`;
    for (let i = 0; i < 3; i++) assert.equal((await request(server, 'GET', path, { auth: server.admin })).status, 200);
    assert.equal((await request(server, 'GET', path, { auth: server.admin })).status, 429);

    statements = 0;
    for (let i = 0; i < 20; i++) {
      const refused = await request(server, 'GET', path, { auth: server.admin });
      assert.equal(refused.status, 429);
      assert.equal(refused.headers.get('x-ratelimit-limit'), '3');
      assert.equal(refused.headers.get('x-ratelimit-remaining'), '0');
      const reset = Number(refused.headers.get('x-ratelimit-reset'));
      assert.ok(reset >= 1 && reset <= WINDOW_SECONDS, `reset ${reset}`);
      assert.equal(refused.headers.get('retry-after'), String(reset));
    }
    assert.equal(statements, 0, 'a refused request reached the database');

    // Past the verified-key cache: the credential would be read again, but the key is still over its budget.
    await waitForKeyCache();
    for (let i = 0; i < 20; i++) assert.equal((await request(server, 'GET', path, { auth: server.admin })).status, 429);
    assert.equal(statements, 0, 'a refused request reached the database once the key cache expired');

    // A wrong secret for the same key ID is not a remembered credential: it is checked, and refused as any other.
    assert.equal((await request(server, 'GET', path, { auth: { keyId: server.admin.keyId, keySecret: `${server.admin.keySecret}x` } })).status, 401);
  });

  it('still counts every allowed request of another key in the database', async () => {
    const other = await server.bootstrap('Other organization');
    statements = 0;
    const res = await request(server, 'GET', `/v1/organizations/${other.organizationId}`, { auth: other });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-ratelimit-remaining'), '2');
    assert.ok(statements >= 1, 'an allowed request did not reach the shared counter');
  });
});
