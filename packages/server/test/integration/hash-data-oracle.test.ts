import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testBackends } from '../helpers/backends.js';
import { sha256Base64 } from '../helpers/hash-data.js';
import { KeyApi } from '../helpers/key-api.js';
import { assertNoCredentialsStored } from '../helpers/stored-credentials.js';
import { request, startTestServer, type ApiResponse, type Credentials, type TestServer } from '../helpers/server.js';

// Issue 16: an admin of organization B creating a key from hashData with the
// key ID hash of organization A's key must learn nothing about A: the answer
// is the one a fresh key ID gets. A key ID hash is unique per organization
// only; a credential is matched by its key ID and its secret, so A's key keeps
// authenticating as A and B's as B.

const hashDataOf = ({ keyId, keySecret }: Credentials) => ({ keyIdHash: sha256Base64(keyId), keyIdSuffix: keyId.slice(-4), keySecretHash: sha256Base64(keySecret) });

/** The answer with what differs between any two creates (the new key's UUID and creation time, the requestId) taken out. */
function comparable(res: ApiResponse): unknown {
  const body = structuredClone(res.body);
  delete body.requestId;
  if (body.result?.key) {
    delete body.result.key.id;
    delete body.result.key.createdAt;
  }
  return { status: res.status, body, contentType: res.headers.get('content-type') };
}

for (const backend of testBackends()) {
  describe(`hashData reveals nothing about other organizations [${backend}]`, () => {
    let server: TestServer;
    let a: KeyApi;
    let b: KeyApi;
    let adminB: Credentials & { organizationId: string };

    before(async () => {
      server = await startTestServer({ backend });
      a = new KeyApi(server);
      adminB = await server.bootstrap('Organization B');
      b = new KeyApi(server, server, adminB.organizationId, adminB);
    });
    after(() => server.close());

    /** Which organization a credential acts for: the one GET /v1/organizations lists, or its status. */
    const organizationOf = async (credentials: Credentials): Promise<string | number> => {
      const res = await request(server, 'GET', '/v1/organizations', { auth: credentials });
      return res.status === 200 ? res.body.result.map((o: { id: string }) => o.id).join(',') : res.status;
    };

    it("B posting A's key ID hash (with another secret) gets the answer a fresh key ID gets; A's key still acts as A, B's as B", async () => {
      const keyOfA = await a.create({ name: 'a key', roles: ['admin'] });
      // A's key is in use, so this instance holds it in its verified-key cache.
      assert.equal(await organizationOf(keyOfA), server.organizationId);

      const suffix = keyOfA.keyId.slice(-4);
      const fresh = { keyId: `fresh-key-id-${suffix}`, keySecret: 'fresh secret of B' };
      const colliding = { keyId: keyOfA.keyId, keySecret: 'colliding secret of B' };
      b.remember(fresh);
      b.remember(colliding);
      const body = (credentials: Credentials) => ({ name: 'from hashData', roles: ['developer'], hashData: hashDataOf(credentials) });
      const freshAnswer = await b.createRaw(body(fresh));
      const collidingAnswer = await b.createRaw(body(colliding));
      assert.equal(freshAnswer.status, 200, freshAnswer.text);
      assert.deepEqual(comparable(collidingAnswer), comparable(freshAnswer));

      assert.equal(await organizationOf(keyOfA), server.organizationId, "A's key acts for A");
      assert.equal(await organizationOf(colliding), adminB.organizationId, "B's key with A's key ID acts for B, at once");
      assert.equal(await organizationOf(fresh), adminB.organizationId);
      assert.equal(await organizationOf({ keyId: keyOfA.keyId, keySecret: 'neither secret' }), 401);
      // B's key has B's roles (developer: may read the organization, not its keys), not A's admin key's.
      const collidingId = collidingAnswer.body.result.key.id;
      assert.equal((await request(server, 'GET', b.keysPath, { auth: colliding })).status, 403);
      assert.equal((await request(server, 'GET', a.keysPath, { auth: colliding })).status, 403);
      assert.equal((await request(server, 'GET', a.keysPath, { auth: keyOfA })).status, 200);

      // Deleting B's key leaves A's alone, and the other way round.
      assert.equal((await b.delete(collidingId)).status, 200);
      assert.equal(await organizationOf(colliding), 401);
      assert.equal(await organizationOf(keyOfA), server.organizationId);
    });

    it("A's own key ID is still refused within A (it reveals only A's keys), changing nothing", async () => {
      const keyOfA = await a.create({ roles: ['developer'] });
      const before = (await a.list()).length;
      const res = await a.createRaw({ name: 'again', roles: ['admin'], hashData: hashDataOf({ keyId: keyOfA.keyId, keySecret: 'another secret' }) });
      assert.equal(res.status, 400, res.text);
      assert.match(res.body.error, /hashData\.keyIdHash/);
      assert.equal((await a.list()).length, before);
      assert.equal(await organizationOf(keyOfA), server.organizationId);
    });

    it("B posting both of A's hashes is refused (only a holder of A's credential can learn anything, and could use it anyway); A's key is untouched", async () => {
      const keyOfA = await a.create({ roles: ['admin'] });
      const before = (await b.list()).length;
      const res = await b.createRaw({ name: 'copy', roles: ['admin'], hashData: hashDataOf(keyOfA) });
      assert.equal(res.status, 400, res.text);
      assert.equal((await b.list()).length, before, 'B got a key that authenticates as A or as B ambiguously');
      assert.equal(await organizationOf(keyOfA), server.organizationId);
    });

    it('stores and logs none of the credentials', async () => {
      await assertNoCredentialsStored(server, [...a.issued, ...b.issued]);
    });
  });
}
