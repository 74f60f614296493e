import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { sql } from 'kysely';
import { copyTextAsJson } from '../../src/db/copy-text-json.js';
import { openDatabase } from '../../src/db/database.js';
import type { CopiedText } from '../../src/db/postgres-copy.js';
import { createTestDatabase, describeUnless, postgresSkipReason } from '../helpers/backends.js';

// PostgreSQL only: COPY … TO STDOUT through Kysely (src/db/postgres-copy.ts), which the activity list's pages use.
describeUnless(postgresSkipReason(), 'COPY … TO STDOUT (postgres)', async () => {
  const database = await createTestDatabase('postgres');
  // The server's own pool settings (statement and read timeouts included), on one connection.
  const handle = openDatabase(database.url, { poolSize: 1 });
  after(async () => {
    await handle.close();
    await database.drop();
  });

  const copyText = async (value: string) => {
    const { rows } = await sql<CopiedText>`copy (select ${value}::text as v) to stdout`.execute(handle.db);
    return rows[0]!.copy;
  };
  const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;

  it('sends each value as a quoted literal, whatever it holds', async () => {
    for (const value of ["it's", 'back\\slash \\\' and $1 $2', '"quoted" \t tab \n newline', "E'\\x41'", '🚀 é']) {
      const { chunks, count } = copyTextAsJson(await copyText(value), [{ name: 'v', optional: false }]);
      assert.equal(count, 1);
      assert.deepEqual(JSON.parse(Buffer.concat(chunks).toString('utf8')), { v: value });
    }
  });

  it('leaves no read-timeout timer behind once a COPY is over', async () => {
    await copyText('warm-up'); // the pool's idle timer for its one connection now exists
    const before = timers();
    for (let i = 0; i < 5; i++) await copyText(`page ${i}`);
    assert.equal(timers(), before);
  });

  it('refuses a COPY whose SQL holds a string literal of its own', async () => {
    await assert.rejects(sql`copy (select 'a' || ${'b'}) to stdout`.execute(handle.db), /must not hold string literals/);
  });
});
