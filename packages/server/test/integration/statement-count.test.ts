import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type LogEvent } from 'kysely';
import pg from 'pg';
import { systemClock } from '../../src/clock.js';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { kyselyPostgresPool } from '../../src/db/postgres-statements.js';
import type { Database } from '../../src/db/schema.js';
import { kyselySqliteDatabase } from '../../src/db/sqlite-statements.js';
import { transactor } from '../../src/db/transaction.js';
import { verifyActivityChains } from '../../src/domain/activities/activity-audit.js';
import { systemActor } from '../../src/domain/actor.js';
import { bootstrapOrganization } from '../../src/domain/bootstrap.js';
import { type Domain } from '../../src/domain/domain.js';
import { createDomain } from '../../src/domain/create-domain.js';
import { addKey, deleteKey, getKeys, updateKey } from '../../src/domain/keys/key.service.js';
import { updateOrganization } from '../../src/domain/organizations/organization-patch.js';
import { createTestDatabase, testBackends, type TestDatabase } from '../helpers/backends.js';

/**
 * Every statement a mutation sends, BEGIN and COMMIT included, counted by
 * Kysely's query log on the same drivers the server uses: one organization
 * change locks once, writes its activities once and updates the organization
 * row once, whatever it changes.
 */
for (const backend of testBackends()) {
  describe(`statements per mutation [${backend}]`, () => {
    let testDb: TestDatabase;
    let db: Kysely<Database>;
    let domain: Domain;
    let organizationId: string;
    let admin: { keyId: string; keySecret: string };
    let statements: string[] = [];

    const counted = async (fn: () => Promise<unknown>): Promise<string[]> => {
      statements = [];
      await fn();
      return statements;
    };

    before(async () => {
      testDb = await createTestDatabase(backend);
      const setup = openDatabase(testDb.url);
      await migrateToLatest(setup);
      await setup.close();
      const log = (event: LogEvent): void => void statements.push(event.query.sql);
      db =
        backend === 'sqlite'
          ? new Kysely<Database>({ dialect: new SqliteDialect({ database: kyselySqliteDatabase(new SqliteDatabase(testDb.file!)) }), log })
          : new Kysely<Database>({ dialect: new PostgresDialect({ pool: kyselyPostgresPool(new pg.Pool({ connectionString: testDb.url, max: 2 })) }), log });
      domain = createDomain({ db, transact: transactor(db) }, systemClock);
      const boot = await bootstrapOrganization(domain, { organizationName: 'Counted', keyName: 'admin', role: 'admin' }, 'bootstrap');
      organizationId = boot.organizationId;
      admin = { keyId: boot.keyId, keySecret: boot.keySecret };
    });
    after(async () => {
      await db.destroy();
      await testDb.drop();
    });

    // The role model adds to a key change only what its assignments need: a
    // PATCH that changes the roles reads the key's assignments once (to know
    // whether they changed) and replaces them (one delete, one insert); a new
    // key inserts its assignments; a deleted key's are read (the CLI prints
    // the deleted key with its roles) and deleted.
    it('updates five fields of a key, its roles included, in at most 9 statements, writing 5 activities and one organization row update', async () => {
      const { key } = await addKey(domain, organizationId, { name: 'five', roles: ['developer'] }, { actor: systemActor('test') });
      const sent = await counted(() =>
        updateKey(
          domain,
          organizationId,
          key.id,
          { name: 'five renamed', roles: ['admin'], state: 'disabled', expireAt: '2099-01-01T00:00:00Z', ipAccessList: [{ source: '10.0.0.0/8' }] },
          { actor: systemActor('test') },
        ),
      );
      // BEGIN, lock, read key, update key, take its assignments (DELETE … RETURNING), insert the new ones, insert activities, write head, COMMIT.
      assert.ok(sent.length <= 9, `${sent.length} statements:\n${sent.join('\n')}`);
      assert.equal(sent.filter((s) => /^update "organizations"/i.test(s.trim())).length, 2, 'the lock and one write of the chain head');
      assert.equal(sent.filter((s) => /^insert into "activities"/i.test(s.trim())).length, 1, 'one insert for all five activities');
      const activities = await db.selectFrom('activities').select('key_update_type').where('target_key_id', '=', key.id).where('type', '=', 'openapi_key_update').execute();
      assert.deepEqual(activities.map((a) => a.key_update_type).sort(), ['date-changed', 'ip-access-list-changed', 'name-changed', 'role-changed', 'state-changed']);
      assert.equal((await verifyActivityChains(db, { organizationId })).broken, undefined);
    });

    // Three tests, so that one over its count does not hide the others.
    it('creates a key in 8 statements', async () => {
      const created = await counted(() => addKey(domain, organizationId, { name: 'short-lived', roles: ['developer'] }, { actor: systemActor('test') }));
      // BEGIN, lock, quota count, insert key, insert its role assignments, insert activity, write head, COMMIT.
      assert.equal(created.length, 8, created.join('\n'));
      assert.equal((await verifyActivityChains(db, { organizationId })).broken, undefined);
    });

    it('deletes a key in 8 statements', async () => {
      const { key: victim } = await addKey(domain, organizationId, { name: 'deleted', roles: ['developer'] }, { actor: systemActor('test') });
      const deleted = await counted(() => deleteKey(domain, organizationId, victim.id, { actor: systemActor('test') }));
      // BEGIN, lock, read key, delete its role assignments, delete the key, insert activity, write head, COMMIT.
      assert.equal(deleted.length, 8, deleted.join('\n'));
      assert.equal((await getKeys(db, organizationId)).some((k) => k.id === victim.id), false);
      assert.equal((await verifyActivityChains(db, { organizationId })).broken, undefined);
    });

    it('renames the organization in 6 statements', async () => {
      const renamed = await counted(() => updateOrganization(domain, organizationId, { name: 'Counted again' }, { actor: systemActor('test') }));
      // BEGIN, lock, read the organization with its collections, insert activity, write row and head, COMMIT.
      assert.equal(renamed.length, 6, renamed.join('\n'));
      assert.equal((await verifyActivityChains(db, { organizationId })).broken, undefined);
    });

    it('renames the organization for an API key in 6 statements while its access is unchanged, and in 7 after a change of keys or roles (it confirms the key again)', async () => {
      const principal = await domain.keys.verify(admin.keyId, admin.keySecret, '127.0.0.1');
      const by = { actor: systemActor('test'), principal, permission: 'control-plane:organization:manage' as const };
      const unchanged = await counted(() => updateOrganization(domain, organizationId, { name: 'Counted by a key' }, by));
      assert.equal(unchanged.length, 6, unchanged.join('\n'));
      assert.equal(unchanged.filter((s) => /from "api_keys"/i.test(s)).length, 0, unchanged.join('\n'));
      const { key } = await addKey(domain, organizationId, { name: 'changes access', roles: ['developer'] }, { actor: systemActor('test') });
      const confirmed = await counted(() => updateOrganization(domain, organizationId, { name: 'Counted after a key change' }, by));
      assert.equal(confirmed.length, 7, confirmed.join('\n'));
      assert.equal(confirmed.filter((s) => /from "api_keys"/i.test(s)).length, 1, confirmed.join('\n'));
      // Confirmed at the new version: the next change needs no statement for it again.
      const again = await counted(() => updateOrganization(domain, organizationId, { name: 'Counted once more' }, by));
      assert.equal(again.length, 6, again.join('\n'));
      await deleteKey(domain, organizationId, key.id, { actor: systemActor('test') });
    });
  });
}
