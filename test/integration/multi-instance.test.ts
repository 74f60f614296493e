import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { systemClock } from '../../src/clock.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { systemActor } from '../../src/domain/actor.js';
import { bootstrapOrganization } from '../../src/domain/bootstrap.js';
import { addKey } from '../../src/domain/keys/key.service.js';
import { createTestDatabase, testBackends, type TestDatabase } from '../helpers/backends.js';
import { startServe, type ServeProcess } from '../helpers/cli.js';
import { request, type Credentials } from '../helpers/server.js';

// Two real server processes on one PostgreSQL database, load split across them.
const postgres = testBackends().includes('postgres');

describe('several instances on one PostgreSQL database', { skip: !postgres && 'needs ORGPLANE_TEST_POSTGRES_URL' }, () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let instances: ServeProcess[] = [];

  /** An organization with `count` admin keys, created directly in the database (setup, not under test). */
  async function organizationWithKeys(count: number): Promise<{ org: string; keys: Credentials[] }> {
    const boot = await bootstrapOrganization(handle.db, systemClock, { organizationName: 'shared', keyName: 'boot', role: 'admin' }, 'bootstrap');
    const keys: Credentials[] = [{ keyId: boot.keyId, keySecret: boot.keySecret }];
    for (let i = 1; i < count; i++) {
      const { pair } = await addKey(handle.db, systemClock, { organizationId: boot.organizationId, name: `k${i}`, roles: ['admin'] }, systemActor('test'));
      keys.push(pair!);
    }
    return { org: boot.organizationId, keys };
  }

  before(async () => {
    database = await createTestDatabase('postgres');
    // Both start at the same moment against the empty database: one migrates, both come up.
    instances = await Promise.all([0, 1].map(() => startServe(['--database', database.url, '--rate-limit', '10/10s'])));
    handle = openDatabase(database.url);
  });
  after(async () => {
    await Promise.all(instances.map((i) => i.stop()));
    await handle.close();
    await database.drop();
  });

  it('started both instances together on the empty database', async () => {
    for (const instance of instances) assert.equal((await request(instance, 'GET', '/ready')).status, 200);
    const migrations = await handle.db.selectFrom('kysely_migration' as never).selectAll().execute();
    assert.equal(migrations.length, 1);
  });

  it('shares one rate-limit budget across instances', async () => {
    const { org, keys } = await organizationWithKeys(1);
    const statuses: number[] = [];
    for (let i = 0; i < 16; i++) statuses.push((await request(instances[i % 2]!, 'GET', `/v1/organizations/${org}`, { auth: keys[0]! })).status);
    assert.equal(statuses.filter((s) => s === 200).length, 10, statuses.join(','));
    assert.equal(statuses.filter((s) => s === 429).length, 6);
  });

  it('loses no update among 200 concurrent PATCHes split over both instances', async () => {
    // 20 keys × 10 requests: exactly the per-key budget, so every request is served.
    const { org, keys } = await organizationWithKeys(20);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        request(instances[i % 2]!, 'PATCH', `/v1/organizations/${org}`, {
          auth: keys[i % 20]!,
          body: { name: `name ${i}`, privateEndpoints: { add: [{ id: `pe-${i}`, cloudProvider: 'aws', region: 'eu-central-1' }] } },
        }),
      ),
    );
    assert.deepEqual([...new Set(results.map((r) => r.status))], [200]);
    const ids = (await handle.db.selectFrom('private_endpoints').select('id').where('organization_id', '=', org).execute()).map((r) => r.id);
    assert.equal(new Set(ids).size, 200);
    // Every PATCH renamed the organization (all names differ): exactly one activity each.
    const renames = await handle.db.selectFrom('activities').select('id').where('organization_id', '=', org).where('type', '=', 'organization_update_name').execute();
    assert.equal(renames.length, 200);
  });

  it('holds the 100-key quota under concurrent creates on both instances', async () => {
    const { org, keys } = await organizationWithKeys(10);
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        request(instances[i % 2]!, 'POST', `/v1/organizations/${org}/keys`, { auth: keys[i % 10]!, body: { name: `q${i}`, roles: ['developer'] } }),
      ),
    );
    assert.equal(results.filter((r) => r.status === 200).length, 90);
    assert.ok(results.filter((r) => r.status !== 200).every((r) => r.status === 400 && /maximum of 100/.test(r.body.error)));
    const count = await handle.db.selectFrom('api_keys').select('id').where('organization_id', '=', org).execute();
    assert.equal(count.length, 100);
  });
});
