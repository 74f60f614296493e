import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testBackends } from '../helpers/backends.js';
import { runCliAsync as runCli } from '../helpers/cli.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

// Issue 25: client commands (over HTTP) and operator commands (on the database)
// print tables and times in one style, src/cli/output.ts's: borderless columns
// under a header row, times exactly as the API sends them. The same data must
// print the same in both. Spawns ./bin/orgplane (the built CLI; `npm test` builds first).

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const BOX_DRAWING = /[\u2500-\u257f]/;

interface Table {
  lines: string[];
  columns: { name: string; start: number }[];
}

/** A borderless table: its lines and its header's column names, each with the offset it starts at. */
function parseTable(stdout: string): Table {
  assert.doesNotMatch(stdout, BOX_DRAWING, 'no borders');
  const lines = stdout.split('\n').filter(Boolean);
  for (const line of lines) assert.equal(line, line.trimEnd(), 'no trailing blanks');
  const header = lines[0] ?? '';
  // Column names are words with single spaces between them ("LAST USED"); columns are two or more apart.
  const columns = [...header.matchAll(/\S+(?: \S+)*/g)].map((m) => ({ name: m[0], start: m.index }));
  assert.equal(columns[0]?.start, 0, `the header starts at the left margin: ${header}`);
  for (let i = 1; i < columns.length; i++) {
    const previous = columns[i - 1]!;
    assert.ok(columns[i]!.start - (previous.start + previous.name.length) >= 2, `columns two spaces apart: ${header}`);
  }
  return { lines, columns };
}

/** The cells of the row whose first column is `id`, by column name (a column ends where the next one starts). */
function row(table: Table, id: string): Record<string, string> {
  const line = table.lines.find((l) => l.startsWith(`${id} `));
  assert.ok(line, `a row for ${id} in:\n${table.lines.join('\n')}`);
  return Object.fromEntries(table.columns.map((c, i) => [c.name, line.slice(c.start, table.columns[i + 1]?.start ?? line.length).trim()]));
}

for (const backend of testBackends()) {
  describe(`one output style for client and operator commands [${backend}]`, () => {
    let server: TestServer;
    let env: NodeJS.ProcessEnv;
    const operator = (...args: string[]) => runCli([...args, '--database', server.databaseUrl]);
    before(async () => {
      server = await startTestServer({ backend });
      env = { ORGPLANE_URL: server.url, ORGPLANE_KEY_ID: server.admin.keyId, ORGPLANE_KEY_SECRET: server.admin.keySecret };
    });
    after(() => server?.close());

    it('key list (HTTP) and keys list (database) print the same key the same way, its times as the API sends them', async () => {
      const created = await runCli(['key', 'create', '--name', 'same style', '--role', 'developer', '--json'], env);
      assert.equal(created.status, 0, created.stderr);
      const { key } = JSON.parse(created.stdout);
      assert.match(key.createdAt, ISO_UTC);

      const client = await runCli(['key', 'list'], env);
      assert.equal(client.status, 0, client.stderr);
      const database = await operator('keys', 'list', '--org', server.organizationId);
      assert.equal(database.status, 0, database.stderr);
      const fromClient = row(parseTable(client.stdout), key.id);
      const fromDatabase = row(parseTable(database.stdout), key.id);

      const shared = ['ID', 'NAME', 'STATE', 'ROLES', 'SUFFIX', 'CREATED', 'EXPIRES', 'LAST USED'];
      for (const column of shared) assert.equal(fromClient[column], fromDatabase[column], `${column}: client ${JSON.stringify(fromClient)}, operator ${JSON.stringify(fromDatabase)}`);
      assert.equal(fromClient.CREATED, key.createdAt);
      assert.equal(fromClient.NAME, 'same style');
      assert.equal(fromClient.EXPIRES, 'never');
      assert.equal(fromClient['LAST USED'], 'never');
    });

    it('org list (HTTP) and org list --database print the organization the same way', async () => {
      const json = await runCli(['org', 'get', '--json'], env);
      assert.equal(json.status, 0, json.stderr);
      const organization = JSON.parse(json.stdout);
      const client = await runCli(['org', 'list'], env);
      assert.equal(client.status, 0, client.stderr);
      const database = await operator('org', 'list');
      assert.equal(database.status, 0, database.stderr);
      const fromClient = row(parseTable(client.stdout), server.organizationId);
      const fromDatabase = row(parseTable(database.stdout), server.organizationId);
      for (const column of ['ID', 'NAME', 'CREATED']) assert.equal(fromClient[column], fromDatabase[column], column);
      assert.equal(fromClient.CREATED, organization.createdAt);
      assert.match(fromClient.CREATED!, ISO_UTC);
    });
  });
}
