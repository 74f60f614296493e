import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startOrgplane, type Orgplane } from 'orgplane/testing';
import { createClient, OrgplaneApiError } from '../src/index.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

// The client's own source against a real orgplane (orgplane/testing); the built package is what
// client-browser.test.ts loads into Chromium.

describe('typed client (@orgplane/client)', () => {
  let op: Orgplane;
  before(async () => {
    op = await startOrgplane();
  });
  after(() => op.stop());

  it('makes typed calls with Basic auth', async () => {
    const client = createClient({ baseUrl: op.url, keyId: op.keyId, keySecret: op.keySecret });
    const { data } = await client.GET('/v1/organizations/{organizationId}', { params: { path: { organizationId: op.organizationId } } });
    assert.equal(data?.result.id, op.organizationId);
    const patched = await client.PATCH('/v1/organizations/{organizationId}', { params: { path: { organizationId: op.organizationId } }, body: { name: 'Typed' } });
    assert.equal(patched.data?.result.name, 'Typed');
    await op.expectCalled('/v1/organizations/{organizationId}', 1, { method: 'GET' });
    await op.expectCalled('/v1/organizations/{organizationId}', 1, { method: 'PATCH' });
  });

  it('surfaces the error message, status and requestId', async () => {
    const client = createClient({ baseUrl: op.url, keyId: 'nope', keySecret: 'nope' });
    await assert.rejects(client.GET('/v1/organizations'), (err: unknown) => {
      assert.ok(err instanceof OrgplaneApiError);
      assert.equal(err.status, 401);
      assert.match(err.message, /Authentication failed/);
      assert.match(err.requestId ?? '', UUID_V4);
      return true;
    });
  });
});

describe('typed client and the key\'s rate limit (@orgplane/client)', () => {
  let op: Orgplane;
  /** A window long enough that three calls always fall in one, however slow the machine. */
  let slow: Orgplane;
  before(async () => {
    op = await startOrgplane({ rateLimit: '2/1s' });
    slow = await startOrgplane({ rateLimit: '2/60s' });
  });
  after(() => Promise.all([op.stop(), slow.stop()]));

  it('retries 429s after X-RateLimit-Reset, and gives up after maxRetries', async () => {
    const client = createClient({ baseUrl: op.url, keyId: op.keyId, keySecret: op.keySecret });
    const started = Date.now();
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await client.GET('/v1/organizations'));
    assert.ok(results.every((r) => r.response.status === 200));
    assert.ok(Date.now() - started >= 900, 'the third call waited for the window to reset');

    const impatient = createClient({ baseUrl: slow.url, keyId: slow.keyId, keySecret: slow.keySecret, maxRetries: 0 });
    assert.equal((await impatient.GET('/v1/organizations')).response.status, 200);
    assert.equal((await impatient.GET('/v1/organizations')).response.status, 200);
    await assert.rejects(impatient.GET('/v1/organizations'), (err: unknown) => err instanceof OrgplaneApiError && err.status === 429);
  });
});

describe('typed client and the failed-authentication limit (@orgplane/client)', () => {
  let op: Orgplane;
  before(async () => {
    // The server's default failed-authentication limit (startOrgplane has no option for it): some
    // 401s per address and window, then 429s without X-RateLimit-Reset.
    op = await startOrgplane();
  });
  after(() => op.stop());

  it('does not wait out an address\'s failed-authentication window: its 429 (no X-RateLimit-Reset) surfaces at once', async () => {
    const wrong = createClient({ baseUrl: op.url, keyId: 'nope', keySecret: 'nope' });
    await assert.rejects(wrong.GET('/v1/organizations'), (err: unknown) => err instanceof OrgplaneApiError && err.status === 401);
    // Use up the rest of the window: every failure before the limit is a 401.
    let limited: OrgplaneApiError | undefined;
    let started = Date.now();
    for (let attempt = 0; attempt < 100 && !limited; attempt++) {
      started = Date.now();
      await wrong.GET('/v1/organizations').catch((err: unknown) => {
        assert.ok(err instanceof OrgplaneApiError);
        if (err.status === 429) limited = err;
        else assert.equal(err.status, 401);
      });
    }
    assert.ok(limited, 'the failed-authentication limit never answered 429');
    assert.equal(limited.status, 429);
    assert.match(limited.requestId ?? '', UUID_V4);
    assert.ok(Date.now() - started < 1000, `the client waited ${Date.now() - started} ms`);
  });
});
