import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import pg from 'pg';
import { systemClock } from '../../src/clock.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { MIGRATION_LOCK_KEY, MIGRATION_NAMES } from '../../src/db/migrate.js';
import { systemActor } from '../../src/domain/actor.js';
import { bootstrapOrganization } from '../../src/domain/bootstrap.js';
import { createDomain } from '../../src/domain/create-domain.js';
import { addKey } from '../../src/domain/keys/key.service.js';
import { createTestDatabase, describeUnless, postgresSkipReason, type TestDatabase } from '../helpers/backends.js';
import { startServe, stopAllServers, type ServeProcess } from '../helpers/cli.js';
import { request, type Credentials } from '../helpers/server.js';

// Two real server processes on one PostgreSQL database, load split across them.
describeUnless(postgresSkipReason(), 'several instances on one PostgreSQL database', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let instances: ServeProcess[] = [];
  const figures: string[] = [];

  /** An organization with `count` admin keys, created directly in the database (setup, not under test). */
  async function organizationWithKeys(count: number): Promise<{ org: string; keys: Credentials[] }> {
    const boot = await bootstrapOrganization(createDomain(handle, systemClock), { organizationName: 'shared', keyName: 'boot', role: 'admin' }, 'bootstrap');
    const keys: Credentials[] = [{ keyId: boot.keyId, keySecret: boot.keySecret }];
    for (let i = 1; i < count; i++) {
      const { keyId, keySecret } = await addKey(createDomain(handle, systemClock), boot.organizationId, { name: `k${i}`, roles: ['admin'] }, { actor: systemActor('test') });
      keys.push({ keyId: keyId!, keySecret: keySecret! });
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
    if (figures.length > 0) process.stdout.write(`# multi-instance: ${figures.join('; ')}\n`);
    await Promise.all(instances.map((i) => i.stop()));
    await handle.close();
    await database.drop();
  });

  it('started both instances together on the empty database', async () => {
    for (const instance of instances) assert.equal((await request(instance, 'GET', '/ready')).status, 200);
    const migrations = await handle.db.selectFrom('kysely_migration' as never).selectAll().execute();
    assert.equal(migrations.length, MIGRATION_NAMES.length);
    // …and exactly one of them created the first organization and printed its admin key.
    const organizations = await handle.db.selectFrom('organizations').select('name').execute();
    assert.deepEqual(organizations, [{ name: 'Default organization' }]);
    assert.equal(instances.filter((i) => i.stderr().includes('First start')).length, 1);
  });

  it('starts four instances together on another empty database: one migration, one first organization', async () => {
    const fresh = await createTestDatabase('postgres');
    const four = await Promise.all([0, 1, 2, 3].map(() => startServe(['--database', fresh.url])));
    const freshHandle = openDatabase(fresh.url);
    try {
      for (const instance of four) assert.equal((await request(instance, 'GET', '/ready')).status, 200);
      assert.equal((await freshHandle.db.selectFrom('kysely_migration' as never).selectAll().execute()).length, MIGRATION_NAMES.length);
      assert.equal((await freshHandle.db.selectFrom('organizations').select('id').execute()).length, 1);
      assert.equal(four.filter((i) => i.stderr().includes('First start')).length, 1);
    } finally {
      await Promise.all(four.map((i) => i.stop()));
      await freshHandle.close();
      await fresh.drop();
    }
  });

  it('waits for another instance\'s migration however long it takes, beyond the statement timeout', async () => {
    const fresh = await createTestDatabase('postgres');
    // Stands in for an instance in the middle of a long migration.
    const holder = new pg.Client({ connectionString: fresh.url });
    await holder.connect();
    await holder.query(`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    const started = Date.now();
    const starting = startServe(['--database', fresh.url, '--pg-statement-timeout', '300']);
    let instance: ServeProcess | undefined;
    try {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      await holder.query(`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
      instance = await starting;
      assert.ok(Date.now() - started >= 2000);
      assert.equal((await request(instance, 'GET', '/ready')).status, 200);
    } finally {
      await holder.end();
      await (instance ?? (await starting.catch(() => undefined)))?.stop();
      await fresh.drop();
    }
  });

  it('shares one rate-limit budget across instances', async () => {
    const { org, keys } = await organizationWithKeys(2);
    // One after the other, alternating between the instances…
    const statuses: number[] = [];
    for (let i = 0; i < 16; i++) statuses.push((await request(instances[i % 2]!, 'GET', `/v1/organizations/${org}`, { auth: keys[0]! })).status);
    assert.equal(statuses.filter((s) => s === 200).length, 10, statuses.join(','));
    assert.equal(statuses.filter((s) => s === 429).length, 6);
    // …and all at once: 40 concurrent requests sprayed over both still get exactly 10.
    const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => request(instances[i % 2]!, 'GET', `/v1/organizations/${org}`, { auth: keys[1]! })));
    const served = burst.filter((r) => r.status === 200);
    assert.equal(served.length, 10, burst.map((r) => r.status).join(','));
    assert.ok(burst.every((r) => r.status === 200 || (r.status === 429 && r.headers.get('x-ratelimit-remaining') === '0' && Number(r.headers.get('retry-after')) >= 1)));
    const perInstance = [0, 1].map((n) => burst.filter((r, i) => i % 2 === n && r.status === 200).length);
    figures.push(`rate limit: 16 alternating → ${statuses.filter((s) => s === 200).length}×200; 40 concurrent → ${served.length}×200 (${perInstance.join('+')} per instance)`);
  });

  it('loses no update among 200 concurrent PATCHes split over both instances', async () => {
    // 20 keys × 10 requests: exactly the per-key budget, so every request is served.
    const { org, keys } = await organizationWithKeys(21);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        request(instances[i % 2]!, 'PATCH', `/v1/organizations/${org}`, {
          auth: keys[i % 20]!,
          body: { name: `name ${i}`, privateEndpoints: { add: [{ id: `pe-${i}`, cloudProvider: 'aws', region: 'eu-central-1' }] } },
        }),
      ),
    );
    assert.deepEqual([...new Set(results.map((r) => r.status))], [200]);
    const rows = await handle.db.selectFrom('private_endpoints').select(['id', 'position']).where('organization_id', '=', org).execute();
    assert.equal(new Set(rows.map((r) => r.id)).size, 200);
    // Positions (the list order) were taken under the organization's row lock: no two alike.
    assert.equal(new Set(rows.map((r) => r.position)).size, 200);
    // The API shows all 200 too (with the 21st key: the others have spent their budget).
    const listed = await request(instances[1]!, 'GET', `/v1/organizations/${org}`, { auth: keys[20]! });
    assert.equal(listed.body.result.privateEndpoints.length, 200);
    // Every PATCH renamed the organization (all names differ): exactly one activity each.
    const renames = await handle.db.selectFrom('activities').select('id').where('organization_id', '=', org).where('type', '=', 'organization_update_name').execute();
    assert.equal(renames.length, 200);
    figures.push(`200 concurrent PATCHes over 2 instances → ${rows.length} endpoints, ${renames.length} activities`);
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

// Whatever a failed test left running.
after(() => stopAllServers());
