import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testBackends } from '../helpers/backends.js';
import { sha256Base64 } from '../helpers/hash-data.js';
import { KeyApi } from '../helpers/key-api.js';
import { assertNoCredentialsStored } from '../helpers/stored-credentials.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

// Issue 3: at most 100 keys per organization (the vendor's quota; the
// bootstrap key counts); the 101st create is 400 saying so, and concurrent
// creates cannot overshoot it. Other organizations are unaffected.

const QUOTA = 100;
const LIMIT_MESSAGE = /\b100\b/;

for (const backend of testBackends()) {
  describe(`API key quota [${backend}]`, () => {
    describe('sequential creates', () => {
      let server: TestServer;
      let api: KeyApi;
      let neighbour: KeyApi;
      before(async () => {
        server = await startTestServer({ backend });
        api = new KeyApi(server);
        const other = await server.bootstrap('Neighbour', 'admin');
        neighbour = new KeyApi(server, server, other.organizationId, other);
        api.remember(other);
      });
      after(() => server.close());

      it('creates up to 100 keys (the bootstrap key counts); the 101st is 400 naming the limit of 100, changing nothing', async () => {
        assert.equal((await api.list()).length, 1);
        for (let i = 2; i <= QUOTA; i++) await api.create({ name: `key ${i}`, roles: ['developer'] });
        assert.equal((await api.list()).length, QUOTA);
        const activityCount = (await api.activities()).length;
        for (const body of [{ name: 'one too many', roles: ['developer'] }, { name: 'hashed one too many', roles: ['admin'], hashData: { keyIdHash: sha256Base64('q-id'), keyIdSuffix: 'q-id', keySecretHash: sha256Base64('q-secret') } }]) {
          const res = await api.createRaw(body);
          assert.equal(res.status, 400, res.text);
          assert.match(res.body.error, LIMIT_MESSAGE);
          assert.match(res.body.error, /maximum|limit|quota/i);
          assert.match(res.body.error, /maximum of 100 API keys/);
        }
        assert.equal((await api.list()).length, QUOTA);
        assert.equal((await api.activities()).length, activityCount);
        assert.equal(await api.probe({ keyId: 'q-id', keySecret: 'q-secret' }), 401);
      });

      it('disabled keys count too; deleting one frees exactly one slot', async () => {
        const keys = await api.list();
        const victim = keys.find((k) => k.name === 'key 50');
        await api.patchOk(keys.find((k) => k.name === 'key 51').id, { state: 'disabled' });
        assert.equal((await api.createRaw({ name: 'still too many', roles: ['developer'] })).status, 400);
        assert.equal((await api.delete(victim.id)).status, 200);
        await api.create({ name: 'replacement', roles: ['developer'] });
        const again = await api.createRaw({ name: 'too many again', roles: ['developer'] });
        assert.equal(again.status, 400, again.text);
        assert.match(again.body.error, LIMIT_MESSAGE);
        assert.equal((await api.list()).length, QUOTA);
      });

      it('the other organization is unaffected', async () => {
        assert.equal((await neighbour.list()).length, 1);
        const key = await neighbour.create({ name: 'neighbour key' });
        api.remember(key);
        assert.equal((await neighbour.list()).length, 2);
        assert.equal(await neighbour.probe(key), 200);
        assert.equal((await api.list()).length, QUOTA);
      });

      it('never stored or logged any issued key ID or secret', async () => {
        await assertNoCredentialsStored(server, api.issued);
      });
    });

    describe('concurrent creates', () => {
      let server: TestServer;
      let api: KeyApi;
      let neighbour: KeyApi;
      before(async () => {
        server = await startTestServer({ backend });
        api = new KeyApi(server);
        const other = await server.bootstrap('Neighbour', 'admin');
        neighbour = new KeyApi(server, server, other.organizationId, other);
        api.remember(other);
        for (let i = 2; i <= 90; i++) await api.create({ name: `key ${i}`, roles: ['developer'] });
      });
      after(() => server.close());

      it('30 creates at once when 90 exist: exactly 10 succeed, 100 keys, one key_create per 200', async () => {
        const before = await api.activities();
        // The neighbour creates at the same time: its writes must neither count nor be refused.
        const [burst, neighbourBurst] = await Promise.all([
          Promise.all(Array.from({ length: 30 }, (_, i) => api.createRaw({ name: `burst ${i}`, roles: ['developer'] }))),
          Promise.all(Array.from({ length: 5 }, (_, i) => neighbour.createRaw({ name: `neighbour burst ${i}`, roles: ['developer'] }))),
        ]);
        const ok = burst.filter((r) => r.status === 200);
        const refused = burst.filter((r) => r.status !== 200);
        assert.equal(ok.length, 10, `statuses: ${burst.map((r) => r.status).join(',')}`);
        for (const r of refused) {
          assert.equal(r.status, 400, r.text);
          assert.match(r.body.error, LIMIT_MESSAGE);
        }
        const keys = await api.list();
        assert.equal(keys.length, QUOTA);
        const createdIds = ok.map((r) => r.body.result.key.id).sort();
        assert.deepEqual(keys.filter((k) => k.name.startsWith('burst ')).map((k) => k.id).sort(), createdIds);

        const written = await api.activitiesSince(before);
        assert.equal(written.length, ok.length);
        assert.ok(written.every((a) => a.type === 'key_create'));
        assert.deepEqual(written.map((a) => a.targetKeyId).sort(), createdIds);
        assert.equal((await api.activities()).filter((a) => a.type === 'key_create').length, QUOTA);

        for (const r of ok) assert.equal(await api.probe({ keyId: r.body.result.keyId, keySecret: r.body.result.keySecret }), 200);
        assert.deepEqual(neighbourBurst.map((r) => r.status), [200, 200, 200, 200, 200]);
        for (const r of neighbourBurst) api.remember({ keyId: r.body.result.keyId, keySecret: r.body.result.keySecret });
        assert.equal((await neighbour.list()).length, 6);
      });

      it('a second burst after a delete: exactly one more succeeds', async () => {
        const victim = (await api.list()).find((k) => k.name.startsWith('burst '));
        assert.equal((await api.delete(victim.id)).status, 200);
        const burst = await Promise.all(Array.from({ length: 10 }, (_, i) => api.createRaw({ name: `second burst ${i}`, roles: ['developer'] })));
        assert.equal(burst.filter((r) => r.status === 200).length, 1, `statuses: ${burst.map((r) => r.status).join(',')}`);
        assert.equal((await api.list()).length, QUOTA);
      });

      it('never stored or logged any issued key ID or secret', async () => {
        await assertNoCredentialsStored(server, api.issued);
      });
    });
  });
}
