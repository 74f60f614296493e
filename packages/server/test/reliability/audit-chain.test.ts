import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { after, before, describe, it } from 'node:test';
import { systemClock } from '../../src/clock.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { systemActor } from '../../src/domain/actor.js';
import { verifyActivityChains } from '../../src/domain/activities/activity-audit.js';
import { linkHash } from '../../src/domain/activities/activity-chain.js';
import { bootstrapOrganization } from '../../src/domain/bootstrap.js';
import { addKey } from '../../src/domain/keys/key.service.js';
import { updateOrganization } from '../../src/domain/organizations/organization-patch.js';
import { createDomain } from '../../src/domain/create-domain.js';
import { createTestDatabase, testBackends, type TestDatabase } from '../helpers/backends.js';
import { runCli } from '../helpers/cli.js';

for (const backend of testBackends()) {
  describe(`tamper-evident activity log [${backend}]`, () => {
    let testDb: TestDatabase;
    let database: DatabaseHandle;
    let org: string;

    /** A fresh organization with a clean chain of `count` activities. */
    async function organization(count: number): Promise<string> {
      const boot = await bootstrapOrganization(createDomain(database, systemClock), { organizationName: 'Chain', keyName: 'k', role: 'admin' }, 'bootstrap');
      for (let i = 2; i < count; i++) {
        await updateOrganization(createDomain(database, systemClock), boot.organizationId, { name: `n${i}` }, { actor: systemActor('test') });
      }
      return boot.organizationId;
    }
    const verify = (organizationId: string) => verifyActivityChains(database.db, { organizationId });
    const activity = (organizationId: string, seq: number) => database.db.selectFrom('activities').selectAll().where('organization_id', '=', organizationId).where('seq', '=', seq).executeTakeFirstOrThrow();

    before(async () => {
      testDb = await createTestDatabase(backend);
      database = openDatabase(testDb.url);
      await migrateToLatest(database);
      org = await organization(10);
    });
    after(async () => {
      await database.close();
      await testDb.drop();
    });

    it('verifies a clean log, via the CLI too, and prints each chain\'s head', async () => {
      const head = await database.db.selectFrom('organizations').select(['activity_seq', 'activity_hash']).where('id', '=', org).executeTakeFirstOrThrow();
      assert.deepEqual(await verify(org), { organizations: 1, activitiesVerified: 10, heads: [{ organizationId: org, seq: 10, hash: head.activity_hash }] });
      const cli = runCli(['audit', 'verify', '--database', testDb.url]);
      assert.equal(cli.status, 0, cli.stderr);
      assert.match(cli.stdout, /OK: 10 activities in 1 organization/);
      assert.ok(cli.stdout.includes(`head ${org} #10 ${head.activity_hash}\n`), cli.stdout);
    });

    it('fails for an activity inserted outside the chain (seq 0 or below), which the API would list as the newest', async () => {
      const victim = await organization(4);
      const template = await activity(victim, 4);
      for (const seq of [0, -5]) {
        const id = `${template.id.slice(0, -4)}${seq === 0 ? 'aaaa' : 'bbbb'}`;
        await database.db.insertInto('activities').values({ ...template, id, seq, hash: 'x', created_at: '2099-01-01T00:00:00.000Z' }).execute();
        const result = await verify(victim);
        assert.match(result.broken?.reason ?? 'passed', /not links of the chain/, `seq ${seq}`);
        const cli = runCli(['audit', 'verify', '--org', victim, '--database', testDb.url]);
        assert.equal(cli.status, 1, cli.stdout);
        await database.db.deleteFrom('activities').where('id', '=', id).execute();
      }
      assert.equal((await verify(victim)).broken, undefined);
    });

    it('fails, not passes, for --org naming no organization (unknown or malformed)', () => {
      for (const id of ['2b1c0000-0000-4000-8000-000000000000', 'not-a-uuid']) {
        const cli = runCli(['audit', 'verify', '--org', id, '--database', testDb.url]);
        assert.equal(cli.status, 1, cli.stdout);
        assert.match(cli.stderr, /no such organization/);
      }
      const upper = runCli(['audit', 'verify', '--org', org.toUpperCase(), '--database', testDb.url]);
      assert.equal(upper.status, 0, upper.stderr);
    });

    it('detects a modified activity and names it', async () => {
      const victim = await organization(6);
      const row = await activity(victim, 3);
      await database.db.updateTable('activities').set({ actor_details: 'forged' }).where('id', '=', row.id).execute();
      const result = await verify(victim);
      assert.equal(result.broken?.seq, 3);
      assert.equal(result.broken?.activityId, row.id);
      const cli = runCli(['audit', 'verify', '--org', victim, '--database', testDb.url]);
      assert.equal(cli.status, 1);
      assert.match(cli.stderr, new RegExp(`#3 \\(${row.id}\\)`));
    });

    it('detects a deleted activity', async () => {
      const victim = await organization(6);
      await database.db.deleteFrom('activities').where('id', '=', (await activity(victim, 4)).id).execute();
      const result = await verify(victim);
      assert.equal(result.broken?.seq, 4);
      assert.match(result.broken!.reason, /missing/);
    });

    it('detects the newest activities deleted', async () => {
      const victim = await organization(6);
      await database.db.deleteFrom('activities').where('organization_id', '=', victim).where('seq', '>=', 5).execute();
      assert.match((await verify(victim)).broken!.reason, /head/);
    });

    it('detects reordered activities (positions swapped)', async () => {
      const victim = await organization(6);
      const [a, b] = [await activity(victim, 2), await activity(victim, 3)];
      await database.db.updateTable('activities').set({ seq: -1 }).where('id', '=', a.id).execute();
      await database.db.updateTable('activities').set({ seq: 2 }).where('id', '=', b.id).execute();
      await database.db.updateTable('activities').set({ seq: 3 }).where('id', '=', a.id).execute();
      assert.equal((await verify(victim)).broken?.seq, 2);
    });

    it('detects a changed timestamp (an activity moved in time)', async () => {
      const victim = await organization(4);
      await database.db.updateTable('activities').set({ created_at: '2001-01-01T00:00:00.000Z' }).where('id', '=', (await activity(victim, 2)).id).execute();
      assert.equal((await verify(victim)).broken?.seq, 2);
    });

    it('keeps one valid chain under concurrent writers', async () => {
      const busy = await organization(1);
      const domain = createDomain(database, systemClock);
      const renames = Array.from({ length: 25 }, (_, i) => updateOrganization(domain, busy, { name: `c${i}` }, { actor: systemActor('test') }));
      await Promise.all([
        ...renames,
        ...Array.from({ length: 25 }, (_, i) => addKey(domain, busy, { name: `k${i}`, roles: ['developer'] }, { actor: systemActor('test') })),
      ]);
      // Concurrent renames are applied together in batches; each still sees its own change.
      assert.deepEqual(
        (await Promise.all(renames)).map((o) => o.name),
        Array.from({ length: 25 }, (_, i) => `c${i}`),
      );
      const result = await verify(busy);
      assert.equal(result.broken, undefined);
      // Bootstrap's two activities, then one per rename and one per key.
      assert.equal(result.activitiesVerified, 52);
      // The other organizations' chains are untouched by all of this (the tampered ones stay broken).
      assert.deepEqual(await verify(org).then(({ heads: _h, ...r }) => r), { organizations: 1, activitiesVerified: 10 });
    });
  });
}

for (const backend of testBackends()) {
  describe(`audit of chains emptied or left without their organization [${backend}]`, () => {
    let testDb: TestDatabase;
    let database: DatabaseHandle;

    before(async () => {
      testDb = await createTestDatabase(backend);
      database = openDatabase(testDb.url);
      await migrateToLatest(database);
    });
    after(async () => {
      await database.close();
      await testDb.drop();
    });

    async function organization(): Promise<string> {
      const domain = createDomain(database, systemClock);
      const boot = await bootstrapOrganization(domain, { organizationName: 'Audited', keyName: 'k', role: 'admin' }, 'bootstrap');
      await updateOrganization(domain, boot.organizationId, { name: 'renamed' }, { actor: systemActor('test') });
      return boot.organizationId;
    }

    /** `orgplane audit verify` over the whole database must fail with a line naming the organization. */
    function assertAuditFails(organizationId: string, reason: RegExp): void {
      const cli = runCli(['audit', 'verify', '--database', testDb.url]);
      assert.equal(cli.status, 1, cli.stdout);
      assert.match(cli.stderr, new RegExp(`audit FAILED for organization ${organizationId}: .*${reason.source}`));
    }

    it('fails for an organization whose chain was emptied, head and all', async () => {
      const victim = await organization();
      await database.db.deleteFrom('activities').where('organization_id', '=', victim).execute();
      await database.db.updateTable('organizations').set({ activity_seq: 0, activity_hash: '' }).where('id', '=', victim).execute();
      assert.match((await verifyActivityChains(database.db, { organizationId: victim })).broken?.reason ?? 'passed', /chain is empty/);
      assertAuditFails(victim, /the chain is empty/);
      await database.db.deleteFrom('organizations').where('id', '=', victim).execute();
    });

    it('fails for a chain whose start was removed and the rest rehashed', async () => {
      const victim = await organization();
      const rows = await database.db.selectFrom('activities').selectAll().where('organization_id', '=', victim).orderBy('seq').execute();
      await database.db.deleteFrom('activities').where('organization_id', '=', victim).execute();
      let previous = '';
      for (const [i, row] of rows.slice(1).entries()) {
        const relinked = { ...row, seq: i + 1 };
        previous = linkHash(previous, relinked);
        await database.db.insertInto('activities').values({ ...relinked, hash: previous }).execute();
      }
      await database.db.updateTable('organizations').set({ activity_seq: rows.length - 1, activity_hash: previous }).where('id', '=', victim).execute();
      assertAuditFails(victim, /activity #1 is key_create, not create_organization/);
      await database.db.deleteFrom('organizations').where('id', '=', victim).execute();
    });

    it('fails for activities of an organization that no longer exists', async () => {
      const victim = await organization();
      // Deleted outside orgplane, without the cascade that would take its activities along.
      if (backend === 'sqlite') {
        const raw = new BetterSqlite3(testDb.file!);
        raw.pragma('foreign_keys = OFF');
        raw.prepare('DELETE FROM organizations WHERE id = ?').run(victim);
        raw.close();
      } else {
        await database.db.transaction().execute(async (trx) => {
          await sql`SET LOCAL session_replication_role = replica`.execute(trx);
          await trx.deleteFrom('organizations').where('id', '=', victim).execute();
        });
      }
      assert.ok((await database.db.selectFrom('activities').select('id').where('organization_id', '=', victim).execute()).length > 0, 'its activities are still stored');
      assertAuditFails(victim, /which does not exist/);
    });
  });
}
