import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { UUID_FORMAT } from '../../src/schemas/common.js';
import { ServiceRecordSchema } from '../../src/schemas/service.js';
import { createTestDatabase, testBackends, type TestDatabase } from '../helpers/backends.js';
import { runCli } from '../helpers/cli.js';

// `orgplane services add|list|remove`: the operator's service records, on the
// database (no server). What quotas and Prometheus report on them is tested in
// quotas.test.ts and prometheus.test.ts.

const ajv = new Ajv({ strict: false });
addFormats.default(ajv);
ajv.addFormat('uuid', UUID_FORMAT);
const validRecord = ajv.compile(ServiceRecordSchema);

const oneJsonObject = (stdout: string) => {
  assert.equal(stdout.trim().split('\n').length, 1, `one JSON line: ${stdout}`);
  const value = JSON.parse(stdout);
  assert.ok(typeof value === 'object' && value !== null && !Array.isArray(value));
  assert.ok(validRecord(value), JSON.stringify(validRecord.errors));
  return value;
};

for (const backend of testBackends()) {
  describe(`operator service record commands [${backend}]`, () => {
    let testDb: TestDatabase;
    let org: string;
    const cli = (...args: string[]) => runCli([...args, '--database', testDb.url]);
    const add = (...args: string[]) => cli('services', 'add', '--org', org, ...args);
    const listJson = () => {
      const res = cli('services', 'list', '--org', org, '--json');
      assert.equal(res.status, 0, res.stderr);
      return JSON.parse(res.stdout) as any[];
    };
    /** Runs a command that must be refused with `status`, its message matching `message`, and nothing changed. */
    const refused = (status: number, message: RegExp, ...args: string[]) => {
      const before = listJson();
      const res = add(...args);
      assert.equal(res.status, status, `${args.join(' ')}: ${res.stdout}${res.stderr}`);
      assert.match(res.stderr, message);
      assert.equal(res.stdout, '');
      assert.deepEqual(listJson(), before, 'a refused add changed the records');
    };

    before(async () => {
      testDb = await createTestDatabase(backend);
      assert.equal(runCli(['migrate', '--database', testDb.url]).status, 0);
      const boot = runCli(['bootstrap', '--org-name', 'Services', '--json', '--database', testDb.url]);
      assert.equal(boot.status, 0, boot.stderr);
      org = JSON.parse(boot.stdout).organizationId;
    });
    after(async () => {
      await testDb?.drop();
    });

    it('add --json prints exactly one JSON object, the record, with the documented defaults', () => {
      const before = Date.now();
      const res = add('--name', 'analytics', '--json');
      assert.equal(res.status, 0, res.stderr);
      const record = oneJsonObject(res.stdout);
      assert.deepEqual(Object.keys(record), ['id', 'name', 'kind', 'state', 'version', 'tags', 'createdAt']);
      assert.match(record.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.deepEqual([record.name, record.kind, record.state, record.version, record.tags], ['analytics', 'clickhouse', 'running', '25.8', {}]);
      assert.ok(Date.parse(record.createdAt) >= before - 1000 && Date.parse(record.createdAt) <= Date.now());
      assert.deepEqual(listJson().at(-1), record);
    });

    it('add takes every field: ID (stored in lower case), kind, state, version and repeated tags (a value may hold "=" or be empty)', () => {
      const id = '3F2504E0-4F89-41D3-9A0C-0305E82C3301';
      const res = add('--name', 'Postgres "main" \\ eu 📈', '--id', id, '--kind', 'postgres', '--state', 'awaking', '--version', '17.2', '--tag', 'env=prod', '--tag', 'query=a=b', '--tag', 'empty=', '--json');
      assert.equal(res.status, 0, res.stderr);
      const record = oneJsonObject(res.stdout);
      assert.equal(record.id, id.toLowerCase());
      assert.deepEqual(
        [record.name, record.kind, record.state, record.version, record.tags],
        ['Postgres "main" \\ eu 📈', 'postgres', 'awaking', '17.2', { env: 'prod', query: 'a=b', empty: '' }],
      );
      assert.deepEqual(Object.keys(record.tags), ['env', 'query', 'empty'], 'tags keep the order given');
      for (const state of ['running', 'idle', 'stopped', 'degraded', 'awaking']) {
        assert.equal(add('--name', `s-${state}`, '--state', state).status, 0);
      }
    });

    it('list shows the records in the order they were added, as a table or as a JSON array', () => {
      const records = listJson();
      assert.deepEqual(records.map((r) => r.name), ['analytics', 'Postgres "main" \\ eu 📈', 's-running', 's-idle', 's-stopped', 's-degraded', 's-awaking']);
      for (const r of records) assert.ok(validRecord(r));
      const table = cli('services', 'list', '--org', org);
      assert.equal(table.status, 0, table.stderr);
      for (const r of records) assert.ok(table.stdout.includes(r.id), table.stdout);
      assert.match(table.stdout, /ID\s.*NAME\s.*KIND\s.*STATE\s.*VERSION\s.*TAGS\s.*CREATED/);
      const human = add('--name', 'human');
      assert.equal(human.status, 0, human.stderr);
      assert.match(human.stdout, /human.*clickhouse.*running.*25\.8/);
    });

    it('an ID the organization has already is refused as a conflict (exit 1), in either case', () => {
      const [first] = listJson();
      refused(1, new RegExp(`service record with ID ${first.id} already exists`), '--name', 'again', '--id', first.id);
      refused(1, /already exists/, '--name', 'again', '--id', first.id.toUpperCase());
      // Another organization may use it: IDs are unique within one organization.
      const other = JSON.parse(runCli(['bootstrap', '--org-name', 'Other', '--json', '--database', testDb.url]).stdout).organizationId;
      const res = cli('services', 'add', '--org', other, '--name', 'same id', '--id', first.id, '--json');
      assert.equal(res.status, 0, res.stderr);
      assert.equal(oneJsonObject(res.stdout).id, first.id);
    });

    it('refuses a name that breaks the text rules, naming the field (exit 1, nothing stored)', () => {
      refused(1, /Invalid field 'name'/, '--name', '');
      refused(1, /Invalid field 'name'/, '--name', '   ');
      refused(1, /Invalid field 'name'/, '--name', 'tab\there');
      refused(1, /Invalid field 'name'/, '--name', 'x'.repeat(256));
      assert.equal(add('--name', '📈'.repeat(255)).status, 0, '255 characters (code points) is the bound');
    });

    it('refuses bad tags: an empty or blank key, a key given twice, control characters (exit 1); no "=" (exit 2)', () => {
      refused(1, /Invalid field 'tags'.*tag key ''/, '--name', 'n', '--tag', '=v');
      refused(1, /Invalid field 'tags'/, '--name', 'n', '--tag', ' =v');
      refused(1, /tag key 'env' is given twice/, '--name', 'n', '--tag', 'env=a', '--tag', 'env=b');
      refused(1, /Invalid field 'tags'/, '--name', 'n', '--tag', 'k=line\nfeed');
      // The tag rules of usage records (vocabulary/tags.ts): keys of at most 128 characters, values of at most 256.
      refused(1, /tag key 'k+': a tag key must be at most 128 characters/, '--name', 'n', '--tag', `${'k'.repeat(129)}=v`);
      refused(1, /the value of tag 'k': a tag value must be at most 256 characters/, '--name', 'n', '--tag', `k=${'v'.repeat(257)}`);
      refused(2, /expected KEY=VALUE/, '--name', 'n', '--tag', 'novalue');
    });

    it('refuses an unknown kind or state (exit 2, with the allowed values), a bad ID or version (exit 1)', () => {
      refused(2, /clickhouse, postgres/, '--name', 'n', '--kind', 'mysql');
      refused(2, /running, idle, stopped, degraded, awaking/, '--name', 'n', '--state', 'provisioning');
      refused(1, /Invalid field 'id'/, '--name', 'n', '--id', 'not-a-uuid');
      refused(1, /Invalid field 'version'/, '--name', 'n', '--version', '');
      refused(1, /Invalid field 'version'/, '--name', 'n', '--version', '1'.repeat(65));
    });

    it('an unknown organization is exit 1 with a message, for every command', () => {
      const unknown = '00000000-0000-4000-8000-000000000000';
      for (const args of [
        ['services', 'add', '--org', unknown, '--name', 'n'],
        ['services', 'list', '--org', unknown],
        ['services', 'remove', '--org', unknown, '--id', unknown],
      ]) {
        const res = cli(...args);
        assert.equal(res.status, 1, args.join(' '));
        assert.match(res.stderr, /Organization not found/);
      }
    });

    it('remove deletes one record (exit 0), an unknown one is exit 1', () => {
      const [first, second] = listJson();
      let res = cli('services', 'remove', '--org', org, '--id', first.id.toUpperCase());
      assert.equal(res.status, 0, res.stderr);
      assert.match(res.stdout, new RegExp(`Removed service record ${first.id}`));
      assert.ok(!listJson().some((r) => r.id === first.id));
      assert.equal(listJson()[0].id, second.id);
      res = cli('services', 'remove', '--org', org, '--id', first.id);
      assert.equal(res.status, 1);
      assert.match(res.stderr, /Service record not found/);
      res = cli('services', 'remove', '--org', org, '--id', second.id, '--json');
      assert.equal(res.status, 0, res.stderr);
      assert.deepEqual(oneJsonObject(res.stdout), second);
    });
  });
}
