import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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
