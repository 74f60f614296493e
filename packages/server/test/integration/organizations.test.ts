import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { testBackends } from '../helpers/backends.js';
import { request, startTestServer, type TestServer } from '../helpers/server.js';

for (const backend of testBackends()) {
  describe(`organizations [${backend}]`, () => {
    let server: TestServer;
    let path: string;
    const patch = (body: unknown) => request(server, 'PATCH', path, { auth: server.admin, body });
    const get = async () => (await request(server, 'GET', path, { auth: server.admin })).body.result;
    const activityCount = async () => (await request(server, 'GET', `${path}/activities`, { auth: server.admin })).body.result.length;

    before(async () => {
      server = await startTestServer({ backend });
      path = `/v1/organizations/${server.organizationId}`;
    });
    after(() => server.close());
    beforeEach(async () => {
      // Start every case from no endpoints.
      const current = await get();
      if (current.privateEndpoints.length) await patch({ privateEndpoints: { remove: current.privateEndpoints.map((e: { id: string }) => ({ id: e.id })) } });
    });

    it('lists exactly the key organization with the vendor fields', async () => {
      const res = await request(server, 'GET', '/v1/organizations', { auth: server.admin });
      assert.equal(res.status, 200);
      assert.equal(res.body.result.length, 1);
      const org = res.body.result[0];
      assert.deepEqual(Object.keys(org).sort(), ['byocConfig', 'createdAt', 'enableCoreDumps', 'id', 'name', 'privateEndpoints']);
      assert.equal(org.id, server.organizationId);
      assert.match(org.createdAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      assert.deepEqual(org.byocConfig, []);
    });

    it('gets the organization by id, case-insensitively', async () => {
      const res = await request(server, 'GET', path.toUpperCase().replace('/V1/ORGANIZATIONS', '/v1/organizations'), { auth: server.admin });
      assert.equal(res.status, 200);
      assert.equal(res.body.result.id, server.organizationId);
    });

    it('updates the name and enableCoreDumps and echoes the organization', async () => {
      const res = await patch({ name: 'Acme Corp', enableCoreDumps: true });
      assert.equal(res.status, 200);
      assert.equal(res.body.result.name, 'Acme Corp');
      assert.equal(res.body.result.enableCoreDumps, true);
      assert.deepEqual(await get(), res.body.result);
    });

    it('applies remove before add, ignores unknown removals and updates existing ids on add', async () => {
      let res = await patch({ privateEndpoints: { add: [{ id: 'vpce-1', cloudProvider: 'aws', region: 'us-east-1', description: 'one' }, { id: 'psc-2', cloudProvider: 'gcp', region: 'europe-west4' }] } });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.result.privateEndpoints, [
        { id: 'vpce-1', description: 'one', cloudProvider: 'aws', region: 'us-east-1' },
        { id: 'psc-2', description: '', cloudProvider: 'gcp', region: 'europe-west4' },
      ]);
      // Re-adding an existing id updates it (idempotent for declarative clients); removing an unknown id is a no-op.
      res = await patch({ privateEndpoints: { remove: [{ id: 'nope' }], add: [{ id: 'vpce-1', cloudProvider: 'aws', region: 'us-east-1', description: 'renamed' }] } });
      assert.equal(res.status, 200);
      assert.equal(res.body.result.privateEndpoints.length, 2);
      assert.equal(res.body.result.privateEndpoints[0].description, 'renamed');
      // remove then add of the same id in one PATCH leaves it present.
      res = await patch({ privateEndpoints: { remove: [{ id: 'psc-2' }], add: [{ id: 'psc-2', cloudProvider: 'gcp', region: 'us-east1' }] } });
      assert.deepEqual(res.body.result.privateEndpoints.map((e: { id: string; region: string }) => `${e.id}@${e.region}`).sort(), ['psc-2@us-east1', 'vpce-1@us-east-1']);
      res = await patch({ privateEndpoints: { remove: [{ id: 'vpce-1' }] } });
      assert.deepEqual(res.body.result.privateEndpoints.map((e: { id: string }) => e.id), ['psc-2']);
    });

    const invalid: [string, unknown, RegExp][] = [
      ['a region of another provider', { privateEndpoints: { add: [{ id: 'x', cloudProvider: 'aws', region: 'us-east1' }] } }, /privateEndpoints\.add\[0\]\.region/],
      ['an unknown region', { privateEndpoints: { add: [{ id: 'x', cloudProvider: 'aws', region: 'mars-1' }] } }, /privateEndpoints\.add\[0\]\.region/],
      ['an unknown provider', { privateEndpoints: { add: [{ id: 'x', cloudProvider: 'ibm', region: 'us-east-1' }] } }, /privateEndpoints\.add\[0\]\.cloudProvider/],
      ['an endpoint without provider', { privateEndpoints: { add: [{ id: 'x', region: 'us-east-1' }] } }, /privateEndpoints\.add\[0\]\.cloudProvider/],
      ['an endpoint without id', { privateEndpoints: { add: [{ cloudProvider: 'aws', region: 'us-east-1' }] } }, /privateEndpoints\.add\[0\]\.id/],
      ['an unknown top-level field', { name: 'ok', color: 'blue' }, /color/],
      ['an unknown nested field', { privateEndpoints: { replace: [] } }, /privateEndpoints\.replace/],
      ['a numeric name', { name: 42 }, /'name'/],
      ['a string boolean', { enableCoreDumps: 'true' }, /enableCoreDumps/],
      ['an empty name', { name: '' }, /'name'/],
      ['a blank name', { name: '   ' }, /'name'/],
      ['a name with control characters', { name: 'bad\u0007name' }, /'name'/],
      ['an over-long name', { name: 'x'.repeat(256) }, /'name'/],
      ['an over-long description', { privateEndpoints: { add: [{ id: 'x', cloudProvider: 'aws', region: 'us-east-1', description: 'd'.repeat(256) }] } }, /description/],
      ['an array body', [{ name: 'x' }], /JSON object/],
      ['a null body', null, /JSON object/],
    ];
    for (const [label, body, field] of invalid) {
      it(`refuses ${label} with 400 naming the field, changing nothing`, async () => {
        const before = await get();
        const activitiesBefore = await activityCount();
        // Object bodies also carry a valid name change, which must not be applied either.
        const res =
          Array.isArray(body) || body === null
            ? await request(server, 'PATCH', path, { auth: server.admin, rawBody: JSON.stringify(body), headers: { 'content-type': 'application/json' } })
            : await patch({ name: 'should not stick', ...(body as object) });
        assert.equal(res.status, 400, res.text);
        assert.match(res.body.error, field);
        assert.deepEqual(await get(), before);
        assert.equal(await activityCount(), activitiesBefore);
      });
    }

    it('refuses a PATCH without a body', async () => {
      const res = await request(server, 'PATCH', path, { auth: server.admin });
      assert.equal(res.status, 400);
      assert.match(res.body.error, /JSON object/);
    });

    it('refuses malformed organization ids with 400', async () => {
      for (const id of ['not-a-uuid', `urn:uuid:${server.organizationId}`, `${server.organizationId}0`, '123']) {
        const res = await request(server, 'GET', `/v1/organizations/${encodeURIComponent(id)}`, { auth: server.admin });
        assert.equal(res.status, 400, id);
        assert.match(res.body.error, /organizationId/);
      }
    });

    it('gives each of many concurrent PATCHes the organization as its own change left it', async () => {
      const activitiesBefore = await activityCount();
      const renames = Array.from({ length: 20 }, (_, i) => patch({ name: `concurrent ${i}` }));
      const adds = Array.from({ length: 10 }, (_, i) => patch({ privateEndpoints: { add: [{ id: `m-${i}`, cloudProvider: 'aws', region: 'eu-west-1' }] } }));
      const coreDumps = Array.from({ length: 10 }, (_, i) => patch({ enableCoreDumps: i % 2 === 0 }));
      const [renamed, added, dumped] = await Promise.all([Promise.all(renames), Promise.all(adds), Promise.all(coreDumps)]);
      renamed.forEach((res, i) => assert.equal(res.body.result.name, `concurrent ${i}`, res.text));
      added.forEach((res, i) => assert.ok(res.body.result.privateEndpoints.some((e: { id: string }) => e.id === `m-${i}`), res.text));
      dumped.forEach((res, i) => assert.equal(res.body.result.enableCoreDumps, i % 2 === 0, res.text));
      const final = await get();
      assert.ok(renamed.some((res) => res.body.result.name === final.name));
      assert.deepEqual(final.privateEndpoints.map((e: { id: string }) => e.id).sort(), Array.from({ length: 10 }, (_, i) => `m-${i}`).sort());
      assert.equal(await activityCount(), activitiesBefore + 20);
    });

    it('keeps concurrent PATCHes from losing each other', async () => {
      const adds = Array.from({ length: 40 }, (_, i) => patch({ privateEndpoints: { add: [{ id: `c-${i}`, cloudProvider: 'azure', region: 'eastus' }] } }));
      const results = await Promise.all(adds);
      assert.ok(results.every((r) => r.status === 200));
      const ids = (await get()).privateEndpoints.map((e: { id: string }) => e.id);
      assert.equal(ids.length, 40);
      assert.equal(new Set(ids).size, 40);
    });
  });
}
