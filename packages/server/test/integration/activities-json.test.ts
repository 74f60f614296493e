import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { ActivityRow } from '../../src/domain/activities/activity.table.js';
import { testBackends } from '../helpers/backends.js';
import { basic, startTestServer, type Credentials, type TestServer } from '../helpers/server.js';

// The streamed list (activity.service.ts, json-array-stream.ts) must stay byte for byte what JSON.stringify gives
// for the API objects, whatever the stored text holds, across its pages.
const AWKWARD = [
  'plain',
  'API key "quoted"',
  'back\\slash \\" and \\\\',
  'controls \u0001\b\t\n\u000b\f\r\u001f\u007f end',
  `every control ${Array.from({ length: 31 }, (_, i) => String.fromCharCode(i + 1)).join('')} end`,
  // What starts an item in the list's JSON text, where a page's last item is found (activity-json.ts).
  'an item {"id":"x","createdAt":"2024-06-01T00:00:00.000Z"} inside',
  'slash / and </script>',
  // PostgreSQL's COPY text (the list's PostgreSQL path, postgres-copy.ts): its null marker, its end marker, and its delimiters as text.
  '\\N',
  '\\.',
  '\t\\N\n',
  'tab\tand\nnewline \\t \\n',
  'non-BMP 🚀 𝄞 \u{10ffff}',
  'latin1 ÿþé, BMP \u2028\u2029 \ufeff \ufffd',
  'lone \ud800 high, lone \udc00 low',
  '',
];
/** PostgreSQL text cannot hold NUL; SQLite's can. */
const NUL = 'nul \u0000 inside';
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const ROWS = 1205;
const PAGE = 1000;

/** The API object of a stored row: required fields first, then the optional ones that are not null. */
function apiObject(row: ActivityRow): Record<string, string> {
  const activity: Record<string, string> = { id: row.id, createdAt: row.created_at, type: row.type, actorType: row.actor_type, organizationId: row.organization_id };
  const optional = { actorId: row.actor_id, actorDetails: row.actor_details, actorIpAddress: row.actor_ip_address, userAgent: row.user_agent, serviceId: row.service_id, targetKeyId: row.target_key_id, keyUpdateType: row.key_update_type };
  for (const [field, value] of Object.entries(optional)) if (value !== null) activity[field] = value;
  return activity;
}

for (const backend of testBackends()) {
  describe(`activity list bytes with awkward text [${backend}]`, () => {
    let server: TestServer;
    let org: Credentials & { organizationId: string };
    const inserted: ActivityRow[] = [];
    const awkward = backend === 'sqlite' ? [...AWKWARD, NUL] : AWKWARD;

    before(async () => {
      server = await startTestServer({ backend });
      org = await server.bootstrap('Awkward text');
      // Rows around the first page's end share one instant, so the next page's cursor is decided by an awkward id.
      const text = (i: number, shift: number) => (i % 5 === shift ? null : awkward[(i + shift) % awkward.length]!);
      for (let i = 0; i < ROWS; i++) {
        const boundary = Math.abs(i - (ROWS - PAGE)) < 20;
        inserted.push({
          id: boundary ? `id ${String(i).padStart(4, '0')} ${awkward[i % awkward.length]}` : `0190${String(i).padStart(4, '0')}-0000-7000-8000-000000000000`,
          organization_id: org.organizationId,
          created_at: boundary ? '2024-06-01T00:00:00.000Z' : new Date(Date.parse('2024-01-01T00:00:00.000Z') + i * 60_000).toISOString(),
          type: i % 7 === 0 ? 'type "odd" \\ 🚀' : 'organization_update_name',
          actor_type: 'api',
          actor_id: text(i, 0),
          actor_details: text(i, 1),
          actor_ip_address: text(i, 2),
          user_agent: text(i, 3),
          service_id: text(i, 4),
          target_key_id: i % 3 === 0 ? null : awkward[(i + 5) % awkward.length]!,
          key_update_type: i % 2 === 0 ? null : awkward[(i + 6) % awkward.length]!,
          seq: 1000 + i,
          hash: 'h'.repeat(64),
        });
      }
      for (let i = 0; i < inserted.length; i += 100) await server.database.db.insertInto('activities').values(inserted.slice(i, i + 100)).execute();
    });
    after(() => server.close());

    const stored = (where: (row: ActivityRow) => boolean = () => true) =>
      server.database.db
        .selectFrom('activities')
        .selectAll()
        .where('organization_id', '=', org.organizationId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .execute()
        .then((rows) => rows.filter(where));

    const streamed = async (query = '') => {
      const res = await fetch(`${server.url}/v1/organizations/${org.organizationId}/activities${query}`, { headers: { authorization: basic(org) } });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
      return res.text();
    };

    it('stores the awkward text as sent, except lone surrogates, which no backend keeps', async () => {
      const rows = new Map((await stored()).map((row) => [row.seq, row]));
      for (const row of inserted) {
        const read = rows.get(row.seq)!;
        for (const column of ['id', 'type', 'actor_id', 'actor_details', 'actor_ip_address', 'user_agent', 'service_id', 'target_key_id', 'key_update_type'] as const) {
          if (row[column] !== null && LONE_SURROGATE.test(row[column])) assert.notEqual(read[column], row[column]);
          else assert.equal(read[column], row[column], `${column} of row ${row.seq}`);
        }
      }
    });

    it('streams the whole list, across pages, as exactly the JSON.stringify of its envelope', async () => {
      const body = await streamed();
      const expected = (await stored()).map(apiObject);
      assert.equal(expected.length, ROWS + 2);
      assert.equal(body, JSON.stringify({ status: 200, requestId: JSON.parse(body).requestId, result: expected }));
    });

    it('streams a date window the same way', async () => {
      const body = await streamed('?from_date=2024-01-01T01:00:00.000Z&to_date=2024-06-01T00:00:00.000Z');
      const expected = (await stored((row) => row.created_at >= '2024-01-01T01:00:00.000Z' && row.created_at <= '2024-06-01T00:00:00.000Z')).map(apiObject);
      assert.ok(expected.length > PAGE, `${expected.length} rows span pages`);
      assert.equal(body, JSON.stringify({ status: 200, requestId: JSON.parse(body).requestId, result: expected }));
    });

    it('a client that leaves after the first bytes leaves the server serving the whole list to the next', async () => {
      // The next page is read before the one in hand is written: leaving drops it, and nothing else.
      for (let i = 0; i < 3; i++) {
        const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
        socket.write(`GET /v1/organizations/${org.organizationId}/activities HTTP/1.1\r\nHost: x\r\nAuthorization: ${basic(org)}\r\n\r\n`);
        const [first] = (await once(socket, 'data')) as [Buffer];
        assert.match(first.toString('latin1'), /^HTTP\/1\.1 200 /);
        socket.destroy();
      }
      const body = await streamed();
      assert.equal(JSON.parse(body).result.length, ROWS + 2);
    });

    it('lists an activity as the same JSON as GET of that one activity', async () => {
      const body = await streamed();
      const items = JSON.parse(body).result as { id: string }[];
      const id = '01900007-0000-7000-8000-000000000000';
      const res = await fetch(`${server.url}/v1/organizations/${org.organizationId}/activities/${id}`, { headers: { authorization: basic(org) } });
      assert.equal(res.status, 200);
      const single = await res.text();
      const item = items.find((a) => a.id === id)!;
      assert.equal(single, JSON.stringify({ status: 200, requestId: JSON.parse(single).requestId, result: item }));
      assert.ok(body.includes(`,${JSON.stringify(item)},`), 'the streamed item is the single GET result, byte for byte');
    });
  });
}
