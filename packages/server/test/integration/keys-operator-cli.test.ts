import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { createTestDatabase, testBackends, type TestDatabase } from '../helpers/backends.js';
import { runCli, startServe, stopAllServers, type ServeProcess } from '../helpers/cli.js';
import { UNKNOWN_UUID } from '../helpers/key-api.js';
import { KEY_CACHE_BOUND_MS } from '../helpers/key-cache.js';
import { assertNoCredentialsStored } from '../helpers/stored-credentials.js';
import { eventually } from '../helpers/wait.js';
import { request, type Credentials } from '../helpers/server.js';

// Issue 3, operator CLI: `orgplane keys create|list|disable|enable|delete --org ID …`
// works directly on the database, is audited as actorType "system", prints a
// table (or JSON with --json), exits 1 with a message on refusals and 2 on usage errors.
// Spawns ./bin/orgplane (the built CLI: run `npm run build` first; `npm test` does).

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

for (const backend of testBackends()) {
  describe(`operator key commands [${backend}]`, () => {
    let testDb: TestDatabase;
    let database: DatabaseHandle;
    let serve: ServeProcess;
    let org: string;
    let admin: Credentials;
    const issued: Credentials[] = [];
    const cli = (...args: string[]) => runCli([...args, '--database', testDb.url]);
    const keysCli = (command: string, ...args: string[]) => cli('keys', command, '--org', org, ...args);
    const api = (method: string, path: string, options: Parameters<typeof request>[3] = {}) => request(serve, method, path, { auth: admin, ...options });
    const keysPath = () => `/v1/organizations/${org}/keys`;
    const status = async (credentials: Credentials) => (await request(serve, 'GET', '/v1/organizations', { auth: credentials })).status;
    const becomes = (credentials: Credentials, expected: number) => eventually(async () => (await status(credentials)) === expected, KEY_CACHE_BOUND_MS);
    const apiKeys = async () => (await api('GET', keysPath())).body.result as any[];
    const activities = async () => (await api('GET', `/v1/organizations/${org}/activities`)).body.result as any[];
    const createJson = (...args: string[]) => {
      const res = keysCli('create', ...args, '--json');
      assert.equal(res.status, 0, res.stderr);
      const created = JSON.parse(res.stdout);
      issued.push({ keyId: created.keyId, keySecret: created.keySecret });
      return created;
    };

    before(async () => {
      testDb = await createTestDatabase(backend);
      const migrated = runCli(['migrate', '--database', testDb.url]);
      assert.equal(migrated.status, 0, migrated.stderr);
      const boot = runCli(['bootstrap', '--org-name', 'Operators', '--json', '--database', testDb.url]);
      assert.equal(boot.status, 0, boot.stderr);
      const parsed = JSON.parse(boot.stdout);
      assert.deepEqual(Object.keys(parsed).sort(), ['keyId', 'keySecret', 'organizationId']);
      org = parsed.organizationId;
      admin = { keyId: parsed.keyId, keySecret: parsed.keySecret };
      issued.push(admin);
      serve = await startServe(['--database', testDb.url, '--rate-limit', 'off']);
      database = openDatabase(testDb.url);
    });
    after(async () => {
      await serve?.stop();
      await database?.close();
      await testDb?.drop();
    });

    it('keys create --json prints exactly {key, keyId, keySecret}; the pair authenticates against a server on that database', async () => {
      const res = keysCli('create', '--name', 'ops key', '--role', 'developer', '--json');
      assert.equal(res.status, 0, res.stderr);
      assert.equal(res.stdout.trim().split('\n').length, 1, 'one JSON line');
      const created = JSON.parse(res.stdout);
      issued.push({ keyId: created.keyId, keySecret: created.keySecret });
      assert.deepEqual(Object.keys(created).sort(), ['key', 'keyId', 'keySecret']);
      assert.deepEqual(Object.keys(created.key).sort(), ['assignedRoles', 'createdAt', 'expireAt', 'id', 'ipAccessList', 'keySuffix', 'name', 'roles', 'state']);
      assert.equal(created.key.name, 'ops key');
      assert.deepEqual(created.key.roles, ['developer']);
      assert.deepEqual(
        created.key.assignedRoles.map((r: { roleName: string; roleType: string }) => `${r.roleType}:${r.roleName}`),
        ['system:Developer'],
        '--role developer is the Developer system role',
      );
      assert.equal(created.key.state, 'enabled');
      assert.equal(created.key.expireAt, null);
      assert.equal(created.key.keySuffix, created.keyId.slice(-4));
      assert.equal(await status(created), 200);
      const viaApi = await api('GET', `${keysPath()}/${created.key.id}`);
      assert.equal(viaApi.status, 200);
      const { usedAt: _u, ...rest } = viaApi.body.result;
      assert.deepEqual(rest, created.key);
      assert.equal(await status({ keyId: created.keyId, keySecret: 'wrong' }), 401);
    });

    it('keys create takes several roles and an --expire-at', async () => {
      const created = createJson('--name', 'expiring', '--role', 'admin', 'developer', '--expire-at', '2031-05-06T07:08:09+02:00');
      assert.deepEqual(created.key.roles, ['admin', 'developer']);
      assert.equal(created.key.expireAt, '2031-05-06T05:08:09.000Z');
      assert.equal(await status(created), 200);
      assert.equal((await request(serve, 'GET', keysPath(), { auth: created })).status, 200, 'the admin role works');
    });

    it('keys create without --json prints a table and the pair once', async () => {
      const res = keysCli('create', '--name', 'plain output', '--role', 'developer');
      assert.equal(res.status, 0, res.stderr);
      assert.match(res.stdout, /plain output/);
      const id = res.stdout.match(UUID)?.[0];
      assert.ok(id, 'the table shows the key UUID');
      const keyId = /key ID:\s+(\S+)/.exec(res.stdout)?.[1];
      const keySecret = /key secret:\s+(\S+)/.exec(res.stdout)?.[1];
      assert.ok(keyId && keySecret, res.stdout);
      issued.push({ keyId, keySecret });
      assert.equal(await status({ keyId, keySecret }), 200);
      assert.ok((await apiKeys()).some((k) => k.id === id && k.keySuffix === keyId.slice(-4)));
    });

    it('keys list prints a readable table of every key, and --json the same keys as the API', async () => {
      const keys = await apiKeys();
      const table = keysCli('list');
      assert.equal(table.status, 0, table.stderr);
      for (const column of ['ID', 'NAME', 'STATE', 'ROLES']) assert.match(table.stdout, new RegExp(`\\b${column}\\b`));
      assert.deepEqual([...new Set(table.stdout.match(UUID))].sort(), keys.map((k) => k.id).sort());
      for (const k of keys) assert.ok(table.stdout.includes(k.name), k.name);
      for (const { keyId, keySecret } of issued) assert.equal(table.stdout.includes(keyId) || table.stdout.includes(keySecret), false);

      const json = keysCli('list', '--json');
      assert.equal(json.status, 0, json.stderr);
      const listed = JSON.parse(json.stdout);
      const strip = (list: any[]) => list.map(({ usedAt: _u, ...k }) => k).sort((a, b) => a.id.localeCompare(b.id));
      assert.deepEqual(strip(listed), strip(keys));
      assert.doesNotMatch(json.stdout, /hash/i);
    });

    it('keys disable → the key gets 401 within the cache bound; keys enable → 200 again', async () => {
      const created = createJson('--name', 'toggled', '--role', 'developer');
      assert.equal(await status(created), 200);
      const disabled = keysCli('disable', '--key', created.key.id, '--json');
      assert.equal(disabled.status, 0, disabled.stderr);
      assert.equal(JSON.parse(disabled.stdout)[0].state, 'disabled');
      assert.ok(await becomes(created, 401), 'still accepted after the cache bound');
      assert.equal((await api('GET', `${keysPath()}/${created.key.id}`)).body.result.state, 'disabled');
      const enabled = keysCli('enable', '--key', created.key.id);
      assert.equal(enabled.status, 0, enabled.stderr);
      assert.match(enabled.stdout, /enabled/);
      assert.ok(await becomes(created, 200), 'still refused after the cache bound');
    });

    it('keys delete → the key gets 401 and is gone; deleting again exits 1', async () => {
      const created = createJson('--name', 'doomed', '--role', 'admin');
      assert.equal(await status(created), 200);
      const deleted = keysCli('delete', '--key', created.key.id);
      assert.equal(deleted.status, 0, deleted.stderr);
      assert.match(deleted.stdout, new RegExp(created.key.id));
      assert.ok(await becomes(created, 401), 'a deleted key still works after the cache bound');
      assert.equal((await apiKeys()).some((k) => k.id === created.key.id), false);
      const again = keysCli('delete', '--key', created.key.id);
      assert.equal(again.status, 1);
      assert.match(again.stderr, /not found/i);
    });

    it('writes key_create, state-changed ×2 and key_delete with actorType "system" and no credential', async () => {
      const created = createJson('--name', 'audited', '--role', 'developer');
      for (const command of ['disable', 'enable', 'delete']) assert.equal(keysCli(command, '--key', created.key.id).status, 0);
      const mine = (await activities()).filter((a) => a.targetKeyId === created.key.id).reverse();
      assert.deepEqual(mine.map((a) => a.keyUpdateType ?? a.type), ['key_create', 'state-changed', 'state-changed', 'key_delete']);
      assert.deepEqual(mine.map((a) => a.type), ['key_create', 'openapi_key_update', 'openapi_key_update', 'key_delete']);
      for (const a of mine) {
        assert.equal(a.actorType, 'system');
        assert.equal(a.organizationId, org);
        assert.equal('actorIpAddress' in a, false);
        assert.match(a.actorDetails ?? '', /keys (create|disable|enable|delete)/);
      }
      // Enabling an enabled key changes nothing and writes nothing.
      const steady = createJson('--name', 'steady', '--role', 'developer');
      const before = (await activities()).length;
      assert.equal(keysCli('enable', '--key', steady.key.id).status, 0);
      assert.equal((await activities()).length, before);
      const text = JSON.stringify(await activities());
      for (const { keyId, keySecret } of issued) assert.equal(text.includes(keyId) || text.includes(keySecret), false);
    });

    it('an unknown key or organization exits 1 with a message (no stack trace) and changes nothing', async () => {
      const before = { keys: await apiKeys(), activities: (await activities()).length };
      for (const command of ['disable', 'enable', 'delete']) {
        for (const key of [UNKNOWN_UUID, 'not-a-uuid']) {
          const res = keysCli(command, '--key', key);
          assert.equal(res.status, 1, `${command} ${key}: ${res.stderr}`);
          assert.match(res.stderr, /not found/i);
          assert.doesNotMatch(res.stderr, /\n\s+at /, 'a stack trace');
          assert.equal(res.stdout, '');
        }
      }
      const noOrg = cli('keys', 'create', '--org', UNKNOWN_UUID, '--name', 'orphan', '--role', 'admin', '--json');
      assert.equal(noOrg.status, 1, noOrg.stderr);
      assert.match(noOrg.stderr, /organization/i);
      assert.equal(noOrg.stdout, '');
      const keyOfOtherOrg = cli('keys', 'delete', '--org', UNKNOWN_UUID, '--key', before.keys[0].id);
      assert.equal(keyOfOtherOrg.status, 1);
      const strip = (list: any[]) => list.map(({ usedAt: _u, ...k }) => k);
      assert.deepEqual(strip(await apiKeys()), strip(before.keys));
      assert.equal((await activities()).length, before.activities);
    });

    it('accepts key and organization UUIDs in upper case, as the API does', async () => {
      const created = createJson('--name', 'upper case', '--role', 'developer');
      const res = cli('keys', 'disable', '--org', org.toUpperCase(), '--key', created.key.id.toUpperCase());
      assert.equal(res.status, 0, res.stderr);
      assert.equal((await api('GET', `${keysPath()}/${created.key.id}`)).body.result.state, 'disabled');
      const listed = cli('keys', 'list', '--org', org.toUpperCase(), '--json');
      assert.equal(listed.status, 0, listed.stderr);
      assert.ok(JSON.parse(listed.stdout).some((k: { id: string }) => k.id === created.key.id), 'list --org in upper case shows the keys');
    });

    it('keys list for an unknown organization exits 1 with a message', () => {
      const res = cli('keys', 'list', '--org', UNKNOWN_UUID);
      assert.equal(res.status, 1, `exit ${res.status}, stdout: ${res.stdout}`);
      assert.match(res.stderr, /organization/i);
    });

    it('usage errors exit 2: missing --role, an unknown role, missing --org, --name or --key', async () => {
      const before = (await apiKeys()).length;
      const cases: string[][] = [
        ['keys', 'create', '--org', org, '--name', 'x'],
        ['keys', 'create', '--org', org, '--name', 'x', '--role', 'owner'],
        ['keys', 'create', '--name', 'x', '--role', 'admin'],
        ['keys', 'create', '--org', org, '--role', 'admin'],
        ['keys', 'list'],
        ['keys', 'disable', '--org', org],
        ['keys', 'delete', '--org', org],
      ];
      for (const args of cases) {
        const res = cli(...args);
        assert.equal(res.status, 2, `${args.join(' ')}: exit ${res.status} ${res.stderr}`);
        assert.match(res.stderr, /error/i);
      }
      assert.equal((await apiKeys()).length, before);
    });

    it('refuses what the API refuses: a past or malformed --expire-at, a blank or over-long --name (exit 1, no key)', async () => {
      const before = (await apiKeys()).length;
      const activityCount = (await activities()).length;
      const cases: [string[], RegExp][] = [
        [['--name', 'x', '--role', 'admin', '--expire-at', '2020-01-01T00:00:00Z'], /expireAt|expire/i],
        [['--name', 'x', '--role', 'admin', '--expire-at', 'someday'], /expireAt|expire/i],
        [['--name', '   ', '--role', 'admin'], /name/i],
        [['--name', '', '--role', 'admin'], /name/i],
        [['--name', 'n'.repeat(256), '--role', 'admin'], /name/i],
      ];
      const accepted: string[] = [];
      for (const [args, message] of cases) {
        const res = keysCli('create', ...args, '--json');
        if (res.status === 0) {
          const created = JSON.parse(res.stdout);
          issued.push({ keyId: created.keyId, keySecret: created.keySecret });
          accepted.push(JSON.stringify(args[1]!.length > 20 ? `${args[1]!.slice(0, 5)}…(${args[1]!.length})` : args[1]) + (args[5] ? ` ${args[5]}` : ''));
          continue;
        }
        assert.ok(res.status === 1 || res.status === 2, `${args.join(' ')}: exit ${res.status}`);
        assert.match(res.stderr, message);
        assert.doesNotMatch(res.stderr, /\n\s+at /);
      }
      assert.deepEqual(accepted, [], `the CLI created keys the API would refuse: ${accepted.join(', ')}`);
      assert.equal((await apiKeys()).length, before);
      assert.equal((await activities()).length, activityCount);
    });

    it('holds the 100-key quota: keys create beyond it exits 1 naming the limit', async () => {
      let count = (await apiKeys()).length;
      while (count < 100) {
        const res = await api('POST', keysPath(), { body: { name: `filler ${count}`, roles: ['developer'] } });
        assert.equal(res.status, 200, res.text);
        issued.push({ keyId: res.body.result.keyId, keySecret: res.body.result.keySecret });
        count++;
      }
      const res = keysCli('create', '--name', 'one too many', '--role', 'developer', '--json');
      assert.equal(res.status, 1, res.stdout);
      assert.match(res.stderr, /\b100\b/);
      assert.equal(res.stdout, '');
      assert.equal((await apiKeys()).length, 100);
    });

    it('never stored or logged any issued key ID or secret (database and server output)', async () => {
      const logs = `${serve.stdout()}\n${serve.stderr()}`.split('\n').filter(Boolean);
      await assertNoCredentialsStored({ database, ...(testDb.file ? { databaseFile: testDb.file } : {}), logs }, issued);
    });
  });
}

// Whatever a failed test left running.
after(() => stopAllServers());
