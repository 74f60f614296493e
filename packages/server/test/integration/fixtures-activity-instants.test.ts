import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { linkHash } from '../../src/domain/activities/activity-chain.js';
import { applyFixture } from '../../src/domain/fixtures/seed.js';
import type { Fixture } from '../../src/domain/fixtures/fixture-schema.js';
import { generateKeyPair } from '../../src/domain/keys/key-material.js';
import { testBackends } from '../helpers/backends.js';
import { assertRefusedUnchanged } from '../helpers/fixtures.js';
import { request, startTestServer, type TestServer } from '../helpers/server.js';

// A verbatim activity's createdAt is compared as text (newest first, the date
// filters): it must be written as orgplane stores instants. Rewriting it would
// break the hash that covers it as written, so another spelling is a 400.

/** A valid chain (the organization's creation first) whose activities were recorded at `times`, hashed as written. */
function chainAt(organizationId: string, times: string[], keyPair = generateKeyPair()): Fixture {
  let previous = '';
  const activities = times.map((at, i) => {
    const id = randomUUID();
    const type = i === 0 ? ('create_organization' as const) : ('key_create' as const);
    const row = { id, organization_id: organizationId, created_at: at, type, actor_type: 'system', actor_id: 'orgplane-cli', actor_details: 'orgplane seed', actor_ip_address: null, user_agent: null, service_id: null, target_key_id: null, key_update_type: null, seq: i + 1 };
    previous = linkHash(previous, row);
    return { id, createdAt: at, type, actorType: 'system' as const, actorId: 'orgplane-cli', actorDetails: 'orgplane seed', seq: i + 1, hash: previous };
  });
  return { organizations: [{ id: organizationId, name: 'Chained', createdAt: '2025-12-31T00:00:00Z', keys: [{ name: 'admin', ...keyPair, roles: ['admin'] }], activities }] };
}

for (const backend of testBackends()) {
  describe(`verbatim activity instants [${backend}]`, () => {
    let server: TestServer;

    before(async () => {
      server = await startTestServer({ backend });
    });
    after(() => server.close());

    for (const spelling of ['2026-01-01T12:00:00+09:00', '2026-01-01 03:00:00z', '2026-01-01T03:00:00Z', '2026-01-01T03:00:00.000000Z']) {
      it(`refuses a createdAt written as ${spelling} (400 naming the field, nothing changed)`, async () => {
        const fixture = chainAt(randomUUID(), ['2026-01-01T00:00:00.000Z', spelling, '2026-01-01T05:00:00.000Z']);
        await assertRefusedUnchanged(server.domain, () => applyFixture(server.domain, fixture), 400, "'organizations[0].activities[1].createdAt'", '2026-01-01T03:00:00.000Z');
      });
    }

    it('lists a seeded chain newest first and filters it by date', async () => {
      const organizationId = randomUUID();
      const keyPair = generateKeyPair();
      const times = ['2026-01-01T00:00:00.000Z', '2026-01-01T03:00:00.000Z', '2026-01-01T05:00:00.000Z', '2026-01-02T00:00:00.000Z'];
      await applyFixture(server.domain, chainAt(organizationId, times, keyPair));
      const list = async (query = '') => {
        const res = await request(server, 'GET', `/v1/organizations/${organizationId}/activities${query}`, { auth: keyPair });
        assert.equal(res.status, 200, res.text);
        return res.body.result.map((a: { createdAt: string }) => a.createdAt);
      };
      assert.deepEqual(await list(), [...times].reverse());
      assert.deepEqual(await list('?from_date=2026-01-01T02:00:00Z&to_date=2026-01-01T04:00:00Z'), ['2026-01-01T03:00:00.000Z']);
      assert.deepEqual(await list('?from_date=2026-01-01T04:00:00%2B01:00'), ['2026-01-02T00:00:00.000Z', '2026-01-01T05:00:00.000Z', '2026-01-01T03:00:00.000Z']);
    });
  });
}
