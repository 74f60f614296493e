import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { sql } from 'kysely';
import type { Credentials, TestServer } from './server.js';

// The "no secret anywhere" scans: what the database holds and what the server logged.

export type StoredState = Pick<TestServer, 'database' | 'databaseFile' | 'logs'>;

/** Everything the database holds, as text: the SQLite file and its WAL bytes, or every PostgreSQL table's rows. */
export async function databaseText(server: Pick<StoredState, 'database' | 'databaseFile'>): Promise<string> {
  if (server.databaseFile) {
    const files = [server.databaseFile, `${server.databaseFile}-wal`].filter(existsSync);
    return Buffer.concat(files.map((f) => readFileSync(f))).toString('latin1');
  }
  const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'public'`.execute(server.database.db);
  const dumps: string[] = [];
  for (const { table_name } of tables.rows) {
    const rows = await sql`select * from ${sql.table(table_name)}`.execute(server.database.db);
    dumps.push(JSON.stringify(rows.rows));
  }
  return dumps.join('\n');
}

/** Asserts that no issued key ID or secret appears in the database or the server's logs. */
export async function assertNoCredentialsStored(server: StoredState, issued: Credentials[]): Promise<void> {
  assert.ok(issued.length > 1, 'the suite issued keys to look for');
  const stored = await databaseText(server);
  assert.ok(stored.length > 0);
  const logs = server.logs.join('\n');
  assert.ok(logs.length > 0);
  for (const { keyId, keySecret } of issued) {
    assert.equal(stored.includes(keyId), false, `key ID …${keyId.slice(-4)} found in the database`);
    assert.equal(stored.includes(keySecret), false, `secret of …${keyId.slice(-4)} found in the database`);
    assert.equal(logs.includes(keyId), false, `key ID …${keyId.slice(-4)} found in the logs`);
    assert.equal(logs.includes(keySecret), false, `secret of …${keyId.slice(-4)} found in the logs`);
  }
}
