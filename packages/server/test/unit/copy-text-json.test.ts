import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { copyTextAsJson, type JsonField } from '../../src/db/copy-text-json.js';

// The PostgreSQL side (what COPY really sends, awkward text included) is tested against a real database in
// test/integration/activities-json.test.ts; here, the rows COPY never sends, which must fail loudly.
const FIELDS: JsonField[] = [
  { name: 'a', optional: false },
  { name: 'b', optional: true },
];
const copy = (text: string) => copyTextAsJson(Buffer.from(text, 'utf8'), FIELDS);
const json = (text: string) => Buffer.concat(copy(text).chunks).toString('utf8');

describe('copyTextAsJson', () => {
  it('writes each row as JSON.stringify would, a null optional field left out', () => {
    const rows = [
      { a: 'tab\tnew\nline\\ "q" \b\f\r\u000b\u0001\u001f é 🚀', b: '\\N' },
      { a: '' },
    ];
    const text = 'tab\\tnew\\nline\\\\ "q" \\b\\f\\r\\v\u0001\u001f é 🚀\t\\\\N\n\t\\N\n';
    assert.equal(json(text), rows.map((row) => JSON.stringify(row)).join(','));
    assert.equal(copy(text).count, 2);
  });

  it('answers an empty text with no chunks', () => {
    assert.deepEqual(copy(''), { chunks: [], count: 0 });
  });

  it('cuts many rows into chunks of whole objects', () => {
    const rows = Array.from({ length: 3000 }, (_, i) => ({ a: `row ${i} ${'x'.repeat(50)}`, b: String(i) }));
    const { chunks, count } = copy(rows.map((row) => `${row.a}\t${row.b}\n`).join(''));
    assert.equal(count, rows.length);
    assert.ok(chunks.length > 1, `${chunks.length} chunk`);
    for (const chunk of chunks) JSON.parse(`[${chunk.toString('utf8')}]`);
    assert.deepEqual(JSON.parse(`[${chunks.map((chunk) => chunk.toString('utf8')).join(',')}]`), rows);
  });

  for (const [text, message] of [
    ['only\n', /row 1 has 1 fields, not 2/],
    ['one\ttwo\tthree\n', /row 1 has more than 2 fields/],
    ['\\N\tb\n', /row 1: a is null/],
    ['a\\x41\tb\n', /unknown escape \\x/],
    ['a\tb', /ends inside a row/],
  ] as const) {
    it(`refuses ${JSON.stringify(text)}`, () => {
      assert.throws(() => copy(text), message);
    });
  }
});
