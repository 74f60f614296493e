import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testBackends } from '../helpers/backends.js';
import { sha256Base64 } from '../helpers/hash-data.js';
import { KeyApi, snapshot, type IssuedKey } from '../helpers/key-api.js';
import { assertNoCredentialsStored } from '../helpers/stored-credentials.js';
import { request, startTestServer, type TestServer } from '../helpers/server.js';

// Issue 3: validation errors name the field; unknown body fields are 400; nothing changes on any 4xx.

type Case = [label: string, body: unknown, field: RegExp];

const hashData = (overrides: Record<string, unknown> = {}) => ({
  keyIdHash: sha256Base64('validation-key-id'),
  keyIdSuffix: 'y-id',
  keySecretHash: sha256Base64('validation-secret'),
  ...overrides,
});
const { keySecretHash: _s, ...hashWithoutSecret } = hashData();
const { keyIdHash: _i, ...hashWithoutId } = hashData();
const { keyIdSuffix: _x, ...hashWithoutSuffix } = hashData();

const BAD_SOURCES = ['300.1.1.1', '10.0.0.0/33', '127.1', 'abc', '::1/129', '', '10.0.0.1/', '1.2.3.4/-1', '0x7f.0.0.1', '10.0.0.1 '];

const valid = { name: 'valid name', roles: ['developer'] };

const CREATE_CASES: Case[] = [
  ['roles and assignedRoleIds both missing', { name: 'x' }, /Missing required field: send 'assignedRoleIds' \(or the deprecated 'roles'\)/],
  ['roles empty', { name: 'x', roles: [] }, /'roles'/],
  ['an unknown role', { name: 'x', roles: ['owner'] }, /roles\[0\]/],
  ['an unknown role after a valid one', { name: 'x', roles: ['admin', 'superuser'] }, /roles\[1\]/],
  ['roles as a string', { name: 'x', roles: 'admin' }, /'roles'/],
  ['name missing', { roles: ['admin'] }, /'name'/],
  ['name empty', { name: '', roles: ['admin'] }, /'name'/],
  ['name blank', { name: '   ', roles: ['admin'] }, /'name'/],
  ['name too long (256)', { name: 'n'.repeat(256), roles: ['admin'] }, /'name'/],
  ['name with a control character', { name: 'line\nbreak', roles: ['admin'] }, /'name'/],
  ['name as a number', { name: 42, roles: ['admin'] }, /'name'/],
  ['state invalid', { ...valid, state: 'paused' }, /'state'/],
  ['state null', { ...valid, state: null }, /'state'/],
  ['expireAt in the past', { ...valid, expireAt: '2020-01-01T00:00:00Z' }, /'expireAt'/],
  ['expireAt one second ago', { ...valid, expireAt: new Date(Date.now() - 1000).toISOString() }, /'expireAt'/],
  ['expireAt not a date-time', { ...valid, expireAt: 'tomorrow' }, /'expireAt'/],
  ['expireAt a plain date', { ...valid, expireAt: '2031-01-01' }, /'expireAt'/],
  ['expireAt a number', { ...valid, expireAt: 1_900_000_000_000 }, /'expireAt'/],
  // assignedRoleIds is the current field; the deprecated roles may come with it only naming the same roles.
  ['roles and assignedRoleIds naming different roles', { ...valid, assignedRoleIds: [] }, /'roles' and 'assignedRoleIds'/],
  ['an assignedRoleIds entry that is no role of the organization', { name: 'x', assignedRoleIds: ['6a0e1e0c-5b6f-4c7e-9d1f-1f2e3d4c5b6a'] }, /'assignedRoleIds\[0\]'/],
  ['unknown field foo', { ...valid, foo: 1 }, /'foo'/],
  ['keyId sent in the body', { ...valid, keyId: 'chosen-by-client' }, /'keyId'/],
  ['hashData.keyIdHash too short', { ...valid, hashData: hashData({ keyIdHash: 'abc' }) }, /'hashData\.keyIdHash'/],
  ['hashData.keyIdHash 44 characters but not base64', { ...valid, hashData: hashData({ keyIdHash: `${'!'.repeat(43)}=` }) }, /'hashData\.keyIdHash'/],
  ['hashData.keyIdHash as hex', { ...valid, hashData: hashData({ keyIdHash: 'ab'.repeat(32) }) }, /'hashData\.keyIdHash'/],
  ['hashData.keySecretHash without padding', { ...valid, hashData: hashData({ keySecretHash: sha256Base64('s').slice(0, 43) }) }, /'hashData\.keySecretHash'/],
  ['hashData.keySecretHash missing', { ...valid, hashData: hashWithoutSecret }, /'hashData\.keySecretHash'/],
  ['hashData.keyIdHash missing', { ...valid, hashData: hashWithoutId }, /'hashData\.keyIdHash'/],
  ['hashData.keyIdSuffix missing', { ...valid, hashData: hashWithoutSuffix }, /'hashData\.keyIdSuffix'/],
  ['hashData.keyIdSuffix of 3 characters', { ...valid, hashData: hashData({ keyIdSuffix: 'abc' }) }, /'hashData\.keyIdSuffix'/],
  ['hashData.keyIdSuffix of 5 characters', { ...valid, hashData: hashData({ keyIdSuffix: 'abcde' }) }, /'hashData\.keyIdSuffix'/],
  ['hashData with an unknown field', { ...valid, hashData: hashData({ keyId: 'plain' }) }, /'hashData\.keyId'/],
  ['hashData not an object', { ...valid, hashData: 'x' }, /'hashData'/],
  ['ipAccessList not an array', { ...valid, ipAccessList: '127.0.0.1' }, /'ipAccessList'/],
  ['an ipAccessList entry without source', { ...valid, ipAccessList: [{ description: 'no source' }] }, /'ipAccessList\[0\]\.source'/],
  ['an ipAccessList entry with an unknown field', { ...valid, ipAccessList: [{ source: '10.0.0.1', foo: 1 }] }, /'ipAccessList\[0\]\.foo'/],
  ['an ipAccessList source that is a number', { ...valid, ipAccessList: [{ source: 10 }] }, /'ipAccessList\[0\]\.source'/],
  ...BAD_SOURCES.map((source): Case => [`the ipAccessList source ${JSON.stringify(source)}`, { ...valid, ipAccessList: [{ source: '127.0.0.1' }, { source }] }, /'ipAccessList\[1\]\.source'/]),
];

const PATCH_CASES: Case[] = [
  ['name empty', { name: '' }, /'name'/],
  ['name blank', { name: ' \t ' }, /'name'/],
  ['name too long (256)', { name: 'n'.repeat(256) }, /'name'/],
  ['roles empty', { roles: [] }, /'roles'/],
  ['an unknown role', { roles: ['owner'] }, /roles\[0\]/],
  ['state invalid', { state: 'deleted' }, /'state'/],
  ['expireAt in the past', { expireAt: '2001-01-01T00:00:00.000Z' }, /'expireAt'/],
  ['expireAt not a date-time', { expireAt: 'next week' }, /'expireAt'/],
  ['unknown field foo', { name: 'fine', foo: true }, /'foo'/],
  ['an assignedRoleIds entry that is no role of the organization', { assignedRoleIds: ['6a0e1e0c-5b6f-4c7e-9d1f-1f2e3d4c5b6a'] }, /'assignedRoleIds\[0\]'/],
  ['hashData (not patchable)', { hashData: hashData() }, /'hashData'/],
  ['id (not patchable)', { id: '6a0e1e0c-5b6f-4c7e-9d1f-1f2e3d4c5b6a' }, /'id'/],
  ['an ipAccessList entry with an unknown field', { ipAccessList: [{ source: '10.0.0.1', note: 'x' }] }, /'ipAccessList\[0\]\.note'/],
  ...BAD_SOURCES.map((source): Case => [`the ipAccessList source ${JSON.stringify(source)}`, { ipAccessList: [{ source: '127.0.0.1' }, { source }] }, /'ipAccessList\[1\]\.source'/]),
  // Valid changes next to an invalid one: all or nothing.
  ['a valid name with an invalid ipAccessList', { name: 'half applied', state: 'disabled', ipAccessList: [{ source: '999.0.0.1' }] }, /'ipAccessList\[0\]\.source'/],
  ['valid roles with a past expireAt', { roles: ['admin'], name: 'half applied', expireAt: '2000-01-01T00:00:00Z' }, /'expireAt'/],
];

for (const backend of testBackends()) {
  describe(`API key validation [${backend}]`, () => {
    let server: TestServer;
    let api: KeyApi;
    let target: IssuedKey;

    before(async () => {
      server = await startTestServer({ backend });
      api = new KeyApi(server);
      target = await api.create({ name: 'patch target', roles: ['developer'], ipAccessList: [{ source: '127.0.0.0/8' }] });
    });
    after(() => server.close());

    const expect400 = async (method: string, path: string, body: unknown, field: RegExp, raw = false) => {
      const before = await snapshot(api);
      const res = await api.call(method, path, raw ? { rawBody: body as string, headers: { 'content-type': 'application/json' } } : { body });
      assert.equal(res.status, 400, res.text);
      assert.deepEqual(Object.keys(res.body).sort(), ['error', 'requestId', 'status']);
      assert.equal(res.body.status, 400);
      assert.match(res.body.error, field);
      assert.deepEqual(await snapshot(api), before, 'a refused request changed keys or activities');
    };

    describe('POST …/keys', () => {
      for (const [label, body, field] of CREATE_CASES) {
        it(`${label} → 400 naming ${field.source.replace(/\\/g, '')}, nothing changed`, () => expect400('POST', api.keysPath, body, field));
      }
      it('a body that is not an object, or not JSON → 400, nothing changed', async () => {
        await expect400('POST', api.keysPath, [valid], /object/);
        await expect400('POST', api.keysPath, '{"name":"x","roles":["admin"]', /JSON/, true);
        await expect400('POST', api.keysPath, undefined, /object|body/);
      });
      it('the hashData that failed validation never became a usable key', async () => {
        assert.equal(await api.probe({ keyId: 'validation-key-id', keySecret: 'validation-secret' }), 401);
      });
    });

    describe('PATCH …/keys/{keyId}', () => {
      for (const [label, body, field] of PATCH_CASES) {
        it(`${label} → 400 naming ${field.source.replace(/\\/g, '')}, nothing changed`, () => expect400('PATCH', api.keyPath(target.id), body, field));
      }
      it('a body that is not an object, or not JSON → 400, nothing changed', async () => {
        await expect400('PATCH', api.keyPath(target.id), ['name'], /object/);
        await expect400('PATCH', api.keyPath(target.id), '{"name":', /JSON/, true);
      });
      it('the target key is exactly as created', async () => {
        const { usedAt: _u, ...current } = await api.get(target.id);
        assert.deepEqual(current, target.key);
      });
    });

    describe('error messages', () => {
      it('say what an unknown role or state should be (the allowed values)', async () => {
        const role = await api.createRaw({ name: 'x', roles: ['owner'] });
        assert.equal(role.status, 400);
        assert.match(role.body.error, /admin.*developer.*query_endpoints/, `unhelpful: ${role.body.error}`);
        const state = await api.createRaw({ name: 'x', roles: ['admin'], state: 'paused' });
        assert.equal(state.status, 400);
        assert.match(state.body.error, /enabled.*disabled/, `unhelpful: ${state.body.error}`);
      });

      it('say that an expireAt in the past must be in the future', async () => {
        const res = await api.createRaw({ ...valid, expireAt: '2020-01-01T00:00:00Z' });
        assert.equal(res.status, 400);
        assert.match(res.body.error, /expireAt.*future/, `unhelpful: ${res.body.error}`);
      });

      it('describe a malformed hash as a malformed hash (not as blank text)', async () => {
        const res = await api.createRaw({ ...valid, hashData: hashData({ keyIdHash: 'abc' }) });
        assert.equal(res.status, 400);
        assert.doesNotMatch(res.body.error, /blank|control characters/, `misleading: ${res.body.error}`);
        assert.match(res.body.error, /base64|SHA-?256|44/i, `misleading: ${res.body.error}`);
      });
    });

    it('accepts the boundaries: a 255-character name, 3 roles, every valid source form', async () => {
      const key = await api.create({
        name: 'n'.repeat(255),
        roles: ['admin', 'developer', 'query_endpoints'],
        ipAccessList: ['127.0.0.1', '10.0.0.0/8', '0.0.0.0/0', '::1', '2001:db8::/32', '::/0', '192.168.1.1/32'].map((source) => ({ source })),
      });
      assert.equal(key.key.name.length, 255);
      assert.equal(key.key.ipAccessList.length, 7);
      assert.equal((await request(server, 'GET', '/v1/organizations', { auth: key })).status, 200);
    });

    it('never stored or logged any issued key ID or secret', async () => {
      await assertNoCredentialsStored(server, api.issued);
    });
  });
}
