import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createTestDatabase, describeUnless, postgresSkipReason } from '../helpers/backends.js';

// PostgreSQL only: statements with parameters run as named prepared statements (src/db/postgres-statements.ts).
describeUnless(postgresSkipReason(), 'named prepared statements (postgres)', async () => {
  const database = await createTestDatabase('postgres');
  // One connection, so every query below runs in the session whose prepared statements we read.
  const handle = openDatabase(database.url, { poolSize: 1 });
  await migrateToLatest(handle);
  after(async () => {
    await handle.close();
    await database.drop();
  });

  const organizationById = (id: string) => handle.db.selectFrom('organizations').selectAll().where('id', '=', id);
  const organizationId = '00000000-0000-4000-8000-000000000001';
  await handle.db
    .insertInto('organizations')
    .values({ id: organizationId, name: 'Acme', created_at: '2026-01-01T00:00:00.000Z', enable_core_dumps: 0, version: 0, activity_seq: 0, activity_hash: '' })
    .execute();
  const text = organizationById(organizationId).compile().sql;

  /** The names under which this session has prepared `statement`. */
  async function preparedNames(statement: string): Promise<string[]> {
    const { rows } = await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(handle.db);
    return rows.filter((r) => r.statement === statement).map((r) => r.name);
  }

  async function alterOrganizations(ddl: string): Promise<void> {
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      await admin.query(ddl);
    } finally {
      await admin.end();
    }
  }

  it('prepares a statement with parameters once per connection and reuses it', async () => {
    assert.equal((await organizationById(organizationId).executeTakeFirst())?.name, 'Acme');
    const [name] = await preparedNames(text);
    assert.match(name ?? '', /^orgplane_\d+$/);
    await organizationById(organizationId).executeTakeFirst();
    assert.deepEqual(await preparedNames(text), [name]);
  });

  it('re-prepares, under a new name, a statement whose result columns another session changed', async () => {
    const [before] = await preparedNames(text);
    assert.ok(before, 'the statement is prepared before the change');
    await alterOrganizations('alter table organizations add column probe_outside integer default 7');
    const row = (await organizationById(organizationId).executeTakeFirst()) as Record<string, unknown> | undefined;
    assert.equal(row?.name, 'Acme');
    assert.equal(row?.probe_outside, 7);
    const names = await preparedNames(text);
    assert.equal(names.length, 2);
    assert.ok(names.includes(before) && names.some((n) => n !== before), `expected a second name beside ${before}: ${names.join(', ')}`);
  });

  it('runs a transaction again when such a change hits one of its statements, and commits once', async () => {
    let runs = 0;
    const rename = (name: string) =>
      handle.transact(async (trx) => {
        runs++;
        const row = await trx.selectFrom('organizations').selectAll().where('id', '=', organizationId).executeTakeFirstOrThrow();
        await trx.updateTable('organizations').set({ name, version: row.version + 1 }).where('id', '=', organizationId).execute();
        return row.version + 1;
      });
    assert.equal(await rename('Prepared'), 1);
    assert.equal(runs, 1);

    await alterOrganizations('alter table organizations add column probe_inside text');
    runs = 0;
    assert.equal(await rename('Renamed'), 2);
    assert.equal(runs, 2, 'the first run hit the stale statement and rolled back');
    const row = await handle.db.selectFrom('organizations').select(['name', 'version']).where('id', '=', organizationId).executeTakeFirstOrThrow();
    assert.deepEqual(row, { name: 'Renamed', version: 2 });
  });

  it('leaves statements without parameters unnamed', async () => {
    await sql`select 1 as one`.execute(handle.db);
    assert.deepEqual(await preparedNames('select 1 as one'), []);
  });
});
