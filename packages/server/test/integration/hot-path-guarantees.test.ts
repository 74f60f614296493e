import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { UNAUTHORIZED_MESSAGE } from '../../src/domain/errors.js';
import { generateKeyPair } from '../../src/domain/keys/key-material.js';
import type { OrganizationPatch } from '../../src/schemas/organization.js';
import { DEFAULT_BYOC_PROVISIONING_SECONDS } from '../../src/vocabulary/byoc.js';
import { testBackends } from '../helpers/backends.js';
import { runCli, startServe, stopAllServers, type ServeProcess } from '../helpers/cli.js';
import { KEY_CACHE_BOUND_MS } from '../helpers/key-cache.js';
import { allow, assertError, RoleApi, VIEW, type IssuedRoleKey } from '../helpers/role-api.js';
import { request, startTestServer, type ApiResponse, type Credentials, type TestServer } from '../helpers/server.js';
import { eventually } from '../helpers/wait.js';

// Issue 27 makes the request hot path cheaper (the organization read cached in
// process, a verified credential remembered for at most KEY_CACHE_TTL_MS). What
// must survive it, tested from outside on a server whose caches are warm:
// - read-your-writes: whoever changes the organization (the operator CLI, a
//   second server process on the database, the emulator's reset and seed, the
//   server itself), the very next GET shows the change;
// - a credential that has just worked is refused by its very next request when
//   the change was this server's own (API, clock), and within KEY_CACHE_BOUND_MS
//   when another process made it (operator CLI, a second server); re-enabling
//   works the same way; a secret that is not the key's is never accepted.
// SQLite databases here are files, so that the other processes share them.

const WARM_REQUESTS = 5;

const REFUSALS = {
  401: UNAUTHORIZED_MESSAGE,
  403: `This API key's roles do not grant the permission '${VIEW}'`,
} as const;

/** Exactly the refusal envelope: the one 401 every authentication failure gets, or the 403 of a missing organization:view. */
function assertRefused(res: ApiResponse, status: 401 | 403, what: string): void {
  assertError(res, status);
  assert.equal(res.body.error, REFUSALS[status], what);
  if (status === 401) assert.equal(res.headers.get('www-authenticate'), 'Basic realm="orgplane"', what);
}

/** The `org update --database` flags for a PATCH body. */
function operatorFlags(body: OrganizationPatch): string[] {
  return [
    ...(body.name === undefined ? [] : ['--name', body.name]),
    ...(body.enableCoreDumps === undefined ? [] : ['--enable-core-dumps', String(body.enableCoreDumps)]),
    ...(body.privateEndpoints?.add ?? []).flatMap((e) => ['--add-private-endpoint', [e.id, e.cloudProvider, e.region, e.description].join(',')]),
    ...(body.privateEndpoints?.remove ?? []).flatMap((e) => ['--remove-private-endpoint', e.id]),
  ];
}

/** A key's own custom role (granting organization:view only), so that narrowing it demotes that key alone. */
interface WarmKey extends IssuedRoleKey {
  roleId: string;
}

/** Ways a warm key loses its access; `api` is the admin key's API on the instance that makes the change. */
const LOSSES: { what: string; status: 401 | 403; change(api: RoleApi, key: WarmKey): Promise<ApiResponse> }[] = [
  { what: 'disabled', status: 401, change: (api, key) => api.call('PATCH', api.keyPath(key.id), { state: 'disabled' }) },
  { what: 'deleted', status: 401, change: (api, key) => api.call('DELETE', api.keyPath(key.id)) },
  { what: 'moved out of its IP allow list', status: 401, change: (api, key) => api.call('PATCH', api.keyPath(key.id), { ipAccessList: [{ source: '10.0.0.0/8', description: 'not 127.0.0.1' }] }) },
  { what: 'given roles without organization:view', status: 403, change: (api, key) => api.call('PATCH', api.keyPath(key.id), { assignedRoleIds: [api.systemRoleId('query_endpoints')] }) },
  { what: 'demoted by its role losing organization:view', status: 403, change: (api, key) => api.call('PATCH', api.rolePath(key.roleId), { policies: [allow(['control-plane:organization:view-billing'])] }) },
];

for (const backend of testBackends()) {
  describe(`hot path guarantees [${backend}]`, () => {
    /** The server under test: warmed, then read. Trusts X-Forwarded-For from 127.0.0.1, so a test can change its client address. */
    let server: TestServer;
    /** A second server process on the same database. */
    let other: ServeProcess;
    let local: RoleApi;
    let remote: RoleApi;
    let made = 0;
    const orgPath = () => `/v1/organizations/${server.organizationId}`;
    const getOrg = (auth: Credentials = server.admin, headers: Record<string, string> = {}) => request(server, 'GET', orgPath(), { auth, headers });
    const operator = (...args: string[]) => {
      const res = runCli([...args, '--database', server.databaseUrl]);
      assert.equal(res.status, 0, res.stderr);
      return res;
    };

    /** Several GETs in a row that succeed, so whatever the server keeps for this organization and credential is hot; the organization they showed. */
    async function warm(auth: Credentials = server.admin, headers: Record<string, string> = {}): Promise<any> {
      let res!: ApiResponse;
      for (let i = 0; i < WARM_REQUESTS; i++) {
        res = await getOrg(auth, headers);
        assert.equal(res.status, 200, res.text);
      }
      return res.body.result;
    }

    /** A new key holding only its own view role, warmed. */
    async function warmKey(body: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<WarmKey> {
      const role = await local.create(`hot path role ${++made}`, [allow([VIEW])]);
      const key = { ...(await local.createKey({ name: `hot path key ${made}`, assignedRoleIds: [role.id], ...body })), roleId: role.id };
      await warm(key, headers);
      return key;
    }

    /**
     * Polls with the key, from right after a change another process made, until
     * it gets `status`, which must happen within KEY_CACHE_BOUND_MS; until then
     * only the status from before the change is acceptable.
     */
    async function reachesWithinBound(key: Credentials, status: 200 | 401 | 403, what: string): Promise<void> {
      const previous = status === 200 ? 401 : 200;
      let res!: ApiResponse;
      const reached = await eventually(async () => {
        res = await getOrg(key);
        if (res.status !== status) assert.equal(res.status, previous, `${what}: ${res.text}`);
        return res.status === status;
      }, KEY_CACHE_BOUND_MS);
      assert.ok(reached, `${what}: still ${previous} ${KEY_CACHE_BOUND_MS} ms after the change`);
      if (status === 200) assert.equal(res.body.result.id, server.organizationId);
      else assertRefused(res, status, what);
    }

    const patchOn = async (target: { url: string }, body: OrganizationPatch) => {
      const res = await request(target, 'PATCH', orgPath(), { auth: server.admin, body });
      assert.equal(res.status, 200, res.text);
      return res.body.result;
    };

    before(async () => {
      server = await startTestServer({ backend, controls: {}, trustProxy: ['127.0.0.1'] });
      other = await startServe(['--database', server.databaseUrl, '--rate-limit', 'off']);
      local = new RoleApi(server, server.organizationId, server.admin);
      remote = new RoleApi(other, server.organizationId, server.admin);
    });
    after(async () => {
      await other?.stop();
      await server?.close();
    });

    describe('read-your-writes: the very next GET shows the change, whoever made it', () => {
      const writers: [string, (body: OrganizationPatch) => Promise<any>][] = [
        ['the operator CLI (org update --database)', async (body) => JSON.parse(operator('org', 'update', '--org', server.organizationId, ...operatorFlags(body), '--json').stdout)],
        ['a second server process on the database', (body) => patchOn(other, body)],
        ['this server', (body) => patchOn(server, body)],
      ];
      for (const [n, [writer, write]] of writers.entries()) {
        it(`changed by ${writer}: name and core dumps, then private endpoints alone`, async () => {
          const before = await warm();
          const name = `renamed by ${writer}`;
          const renamed = await write({ name, enableCoreDumps: !before.enableCoreDumps });
          assert.deepEqual([renamed.name, renamed.enableCoreDumps], [name, !before.enableCoreDumps]);
          assert.deepEqual((await getOrg()).body.result, renamed);

          await warm();
          const endpoint = { id: `vpce-${n}`, description: 'moved', cloudProvider: 'aws' as const, region: 'us-west-2' as const };
          const moved = await write({ privateEndpoints: { add: [endpoint], remove: before.privateEndpoints.map(({ id }: { id: string }) => ({ id })) } });
          assert.deepEqual(moved.privateEndpoints, [endpoint]);
          assert.deepEqual((await getOrg()).body.result, moved);
        });
      }
    });

    describe('a warm credential changed through this server is refused by its very next request', () => {
      for (const loss of LOSSES) {
        it(`${loss.what} → ${loss.status}`, async () => {
          const key = await warmKey();
          const changed = await loss.change(local, key);
          assert.equal(changed.status, 200, changed.text);
          assertRefused(await getOrg(key), loss.status, loss.what);
        });
      }

      it('disabled, then enabled again → 401, then 200 at once', async () => {
        const key = await warmKey();
        assert.equal((await local.call('PATCH', local.keyPath(key.id), { state: 'disabled' })).status, 200);
        assertRefused(await getOrg(key), 401, 'disabled');
        assert.equal((await local.call('PATCH', local.keyPath(key.id), { state: 'enabled' })).status, 200);
        assert.equal((await getOrg(key)).status, 200, 'enabled again');
      });

      it('warm from an address in its allow list, the same header from an address outside it → 401', async () => {
        const inside = { 'x-forwarded-for': '203.0.113.7' };
        const key = await warmKey({ ipAccessList: [{ source: '203.0.113.0/24' }] }, inside);
        assertRefused(await getOrg(key, { 'x-forwarded-for': '198.51.100.7' }), 401, 'another address');
        assertRefused(await getOrg(key), 401, 'the socket address 127.0.0.1');
        assert.equal((await getOrg(key, inside)).status, 200);
      });
    });

    it('the key ID of a warm key with any other secret, or its secret with a key ID one character off → 401; the right pair still works', async () => {
      const key = await warmKey();
      const { keyId, keySecret } = key;
      const changeAt = (text: string, i: number) => `${text.slice(0, i)}${text[i] === 'A' ? 'B' : 'A'}${text.slice(i + 1)}`;
      const letter = keySecret.search(/[A-Za-z]/);
      const swapped = keySecret[letter] === keySecret[letter]!.toUpperCase() ? keySecret[letter]!.toLowerCase() : keySecret[letter]!.toUpperCase();
      const wrong: [string, Credentials][] = [
        ['another secret', { keyId, keySecret: generateKeyPair().keySecret }],
        ['the last character of the secret changed', { keyId, keySecret: changeAt(keySecret, keySecret.length - 1) }],
        ['the first character of the secret changed', { keyId, keySecret: changeAt(keySecret, 0) }],
        ['one letter of the secret in the other case', { keyId, keySecret: `${keySecret.slice(0, letter)}${swapped}${keySecret.slice(letter + 1)}` }],
        ['the secret one character short', { keyId, keySecret: keySecret.slice(0, -1) }],
        ['the secret one character longer', { keyId, keySecret: `${keySecret}A` }],
        ['the key ID one character off', { keyId: changeAt(keyId, keyId.length - 1), keySecret }],
      ];
      for (const [what, credentials] of wrong) {
        assertRefused(await getOrg(credentials), 401, what);
        assert.equal((await getOrg(key)).status, 200, `the right pair after ${what}`);
      }
    });

    describe(`a warm credential changed by another process is refused within ${KEY_CACHE_BOUND_MS} ms`, () => {
      it('keys disable (operator CLI) → 401; keys enable → 200 again', async () => {
        const key = await warmKey();
        operator('keys', 'disable', '--org', server.organizationId, '--key', key.id);
        await reachesWithinBound(key, 401, 'disabled');
        operator('keys', 'enable', '--org', server.organizationId, '--key', key.id);
        await reachesWithinBound(key, 200, 'enabled again');
      });

      it('keys delete (operator CLI) → 401', async () => {
        const key = await warmKey();
        operator('keys', 'delete', '--org', server.organizationId, '--key', key.id);
        await reachesWithinBound(key, 401, 'deleted');
      });

      it(`through a second server process: ${LOSSES.map((l) => l.what).join(', ')}`, async () => {
        const warmed: WarmKey[] = [];
        for (const _ of LOSSES) warmed.push(await warmKey());
        // At once, so that the bounds run together; each is measured from its own change.
        await Promise.all(
          LOSSES.map(async (loss, i) => {
            const changed = await loss.change(remote, warmed[i]!);
            assert.equal(changed.status, 200, `${loss.what}: ${changed.text}`);
            await reachesWithinBound(warmed[i]!, loss.status, loss.what);
          }),
        );
      });
    });

    // Last: the emulator clock cannot go back before what was stamped under it, except by the
    // reset, which also empties the database.
    describe('on the emulator clock, the very next request follows it', () => {
      const advance = async (seconds: number) => assert.equal((await request(server, 'POST', '/_orgplane/clock/advance', { body: { seconds } })).status, 200);
      /** Stops the clock on a whole second not before anything stored, so that instants in the test are exact. */
      async function freezeClock(): Promise<number> {
        const now = Math.ceil(Date.parse((await request(server, 'GET', '/_orgplane/clock')).body.result.now) / 1000) * 1000 + 1000;
        const res = await request(server, 'PUT', '/_orgplane/clock', { body: { now: new Date(now).toISOString(), frozen: true } });
        assert.equal(res.status, 200, res.text);
        return now;
      }

      it('a warm key reaching its expireAt → 401', async () => {
        const now = await freezeClock();
        const key = await warmKey({ expireAt: new Date(now + 60_000).toISOString() });
        await advance(59.999);
        assert.equal((await getOrg(key)).status, 200, 'a millisecond before its expireAt');
        await advance(0.001);
        assertRefused(await getOrg(key), 401, 'at its expireAt');
      });

      it("the organization's BYOC infrastructure: shown once created, then ready once the clock reaches its readyAt", async () => {
        await freezeClock();
        await warm();
        const created = await request(server, 'POST', `${orgPath()}/byocInfrastructure`, { auth: server.admin, body: { regionId: 'us-east-1', accountId: '123456789012', displayName: 'Hot path' } });
        assert.equal(created.status, 200, created.text);
        const infrastructure = created.body.result;
        assert.equal(infrastructure.state, 'infra-provisioning');
        assert.deepEqual((await getOrg()).body.result.byocConfig, [infrastructure]);
        await advance(DEFAULT_BYOC_PROVISIONING_SECONDS - 0.001);
        assert.deepEqual((await warm()).byocConfig, [infrastructure], 'a millisecond before its readyAt');
        await advance(0.001);
        assert.deepEqual((await getOrg()).body.result.byocConfig, [{ ...infrastructure, state: 'infra-ready' }]);
      });
    });

    it("the emulator's reset and seed: the key is gone at once, then the very next GET shows the seeded organization (same ID, same credentials)", async () => {
      const before = await warm();
      assert.equal((await request(server, 'POST', '/_orgplane/reset')).status, 200);
      assertRefused(await getOrg(), 401, 'after the reset');
      const seeded = {
        id: server.organizationId,
        name: 'Seeded in its place',
        enableCoreDumps: !before.enableCoreDumps,
        privateEndpoints: [{ id: 'vpce-seeded', description: 'from the fixture', cloudProvider: 'aws' as const, region: 'us-east-1' as const }],
      };
      const seed = await request(server, 'POST', '/_orgplane/seed', { body: { organizations: [{ ...seeded, keys: [{ name: 'admin', ...server.admin, roles: ['admin'] }] }] } });
      assert.equal(seed.status, 200, seed.text);
      const res = await getOrg();
      assert.equal(res.status, 200, res.text);
      const { createdAt: _c, byocConfig: _b, ...shown } = res.body.result;
      assert.deepEqual(shown, seeded);
    });
  });
}

// Whatever a failed test left running.
after(() => stopAllServers());
