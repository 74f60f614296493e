import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import Database from 'better-sqlite3';
import { kyselySqliteDatabase } from '../../src/db/sqlite-statements.js';

function fixture() {
  const sqlite = new Database(':memory:');
  sqlite.exec(`
    CREATE TABLE a (id INTEGER PRIMARY KEY, name TEXT, note TEXT, data BLOB, score REAL);
    CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER, name TEXT);
    INSERT INTO a VALUES (1, 'one', NULL, x'00ff', 1.5), (2, 'two', 'é ✓', NULL, -2);
    INSERT INTO b VALUES (10, 1, 'b-one');
  `);
  return { sqlite, kysely: kyselySqliteDatabase(sqlite) };
}

describe('better-sqlite3 as Kysely sees it (rows read as arrays, statements reused)', () => {
  const statements = [
    ['SELECT * FROM a ORDER BY id', []],
    ['SELECT id, name FROM a WHERE id = ?', [2]],
    ['SELECT * FROM a WHERE id = ?', [99]],
    // Duplicate column names: the later column wins, as in better-sqlite3's own objects.
    ['SELECT a.*, b.* FROM a LEFT JOIN b ON b.a_id = a.id ORDER BY a.id', []],
    ['SELECT count(*) AS n, max(score) AS top FROM a', []],
  ] as const;

  for (const [sql, parameters] of statements) {
    it(`gives the same rows as better-sqlite3 for ${sql}`, () => {
      const { sqlite, kysely } = fixture();
      const statement = kysely.prepare(sql);
      assert.equal(statement.reader, true);
      assert.deepEqual(statement.all(parameters), sqlite.prepare(sql).all(...parameters));
      assert.deepEqual([...statement.iterate(parameters)], sqlite.prepare(sql).all(...parameters));
    });
  }

  it('returns RETURNING rows as objects and runs writers unchanged', () => {
    const { sqlite, kysely } = fixture();
    assert.deepEqual(kysely.prepare('UPDATE a SET score = score + 1 WHERE id = ? RETURNING id, score').all([1]), [{ id: 1, score: 2.5 }]);
    const insert = kysely.prepare('INSERT INTO b (a_id, name) VALUES (?, ?)');
    assert.equal(insert.reader, false);
    assert.deepEqual(insert.run([2, 'b-two']), { changes: 1, lastInsertRowid: 11 });
    assert.deepEqual(sqlite.prepare('SELECT name FROM b WHERE id = 11').get(), { name: 'b-two' });
  });

  it('prepares each SQL text once', () => {
    const { kysely } = fixture();
    assert.equal(kysely.prepare('SELECT id FROM a'), kysely.prepare('SELECT id FROM a'));
    assert.notEqual(kysely.prepare('SELECT id FROM a'), kysely.prepare('SELECT name FROM a'));
  });
});

describe('a cached statement after another connection changes the schema', () => {
  function twoConnections(t: TestContext) {
    const dir = mkdtempSync(join(tmpdir(), 'orgplane-stmt-'));
    const file = join(dir, 'schema.db');
    const mine = new Database(file);
    mine.pragma('journal_mode = WAL');
    const other = new Database(file);
    other.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO t VALUES (1, 'one');`);
    t.after(() => {
      mine.close();
      other.close();
      rmSync(dir, { recursive: true, force: true });
    });
    return { mine, other, kysely: kyselySqliteDatabase(mine) };
  }

  // Each step runs the same cached `select *` before and after the other connection's change,
  // so a mapping kept from an earlier execution would put values under stale names.
  const changes: [string, string][] = [
    ['a column is added', `ALTER TABLE t ADD COLUMN note TEXT DEFAULT 'n'`],
    ['a column is dropped', `ALTER TABLE t DROP COLUMN name`],
    ['the table is recreated with its columns in another order', `DROP TABLE t; CREATE TABLE t (name TEXT, extra INTEGER, id INTEGER PRIMARY KEY); INSERT INTO t VALUES ('one', 7, 1);`],
    ['a column is renamed', `ALTER TABLE t RENAME COLUMN name TO title`],
  ];
  for (const [what, ddl] of changes) {
    it(`names the values by the columns returned when ${what}`, (t) => {
      const fx = twoConnections(t);
      const sql = 'SELECT * FROM t WHERE id = ?';
      const statement = fx.kysely.prepare(sql);
      assert.deepEqual(statement.all([1]), [{ id: 1, name: 'one' }]);
      fx.other.exec(ddl);
      const expected = fx.mine.prepare(sql).all(1);
      assert.equal(fx.kysely.prepare(sql), statement, 'still the cached statement');
      assert.deepEqual(statement.all([1]), expected);
      assert.deepEqual([...statement.iterate([1])], expected);
      assert.deepEqual(statement.all([1]), expected, 'and again, once the new names are known');
    });
  }

  it('follows several changes in a row, also when the statement ran in between', (t) => {
    const fx = twoConnections(t);
    const sql = 'SELECT * FROM t';
    const statement = fx.kysely.prepare(sql);
    for (const ddl of [`ALTER TABLE t ADD COLUMN a INTEGER DEFAULT 1`, `ALTER TABLE t ADD COLUMN b INTEGER DEFAULT 2`, `DROP TABLE t; CREATE TABLE t (b INTEGER, a INTEGER, id INTEGER); INSERT INTO t VALUES (2, 1, 1);`]) {
      statement.all([]);
      fx.other.exec(ddl);
      for (let i = 0; i < 3; i++) assert.deepEqual(statement.all([]), fx.mine.prepare(sql).all(), ddl);
    }
  });
});
