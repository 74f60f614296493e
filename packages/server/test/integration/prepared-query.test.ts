import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { preparedQuery } from '../../src/db/prepared-query.js';
import { createTestDatabase, testBackends } from '../helpers/backends.js';

for (const backend of testBackends()) {
  describe(`prepared queries (${backend})`, async () => {
    const database = await createTestDatabase(backend);
    const handle = openDatabase(database.url);
    await migrateToLatest(handle);
    after(async () => {
      await handle.close();
      await database.drop();
    });

    const insertOrganization = preparedQuery((db, a: { id: string; name: string }) =>
      db.insertInto('organizations').values({
        id: a.id,
        name: a.name,
        created_at: '2026-01-01T00:00:00.000Z',
        enable_core_dumps: 0,
        version: 7,
        activity_seq: 0,
        activity_hash: '',
      }),
    );
    const byName = preparedQuery((db, a: { name: string }) => db.selectFrom('organizations').select(['id', 'version']).where('name', '=', a.name));

    it('runs with each call’s own values, keeping the constants written in the query', async () => {
      await insertOrganization.execute(handle.db, { id: '00000000-0000-4000-8000-000000000001', name: 'first' });
      await insertOrganization.execute(handle.db, { id: '00000000-0000-4000-8000-000000000002', name: 'second' });
      assert.deepEqual(await byName.all(handle.db, { name: 'second' }), [{ id: '00000000-0000-4000-8000-000000000002', version: 7 }]);
      assert.deepEqual(await byName.first(handle.db, { name: 'first' }), { id: '00000000-0000-4000-8000-000000000001', version: 7 });
      assert.equal(await byName.first(handle.db, { name: 'third' }), undefined);
    });

    it('runs inside a transaction, whose rollback undoes it', async () => {
      await assert.rejects(
        handle.transact(async (trx) => {
          await insertOrganization.execute(trx, { id: '00000000-0000-4000-8000-000000000003', name: 'rolled back' });
          assert.ok(await byName.first(trx, { name: 'rolled back' }));
          throw new Error('abort');
        }),
        /abort/,
      );
      assert.equal(await byName.first(handle.db, { name: 'rolled back' }), undefined);
    });

    it('refuses a query that uses an argument as anything but a value', async () => {
      const branching = preparedQuery((db, a: { name: string }) => db.selectFrom('organizations').selectAll().limit(a.name ? 1 : 2));
      await assert.rejects(branching.all(handle.db, { name: 'x' }), /argument "name" is not a query value/);
    });
  });
}
