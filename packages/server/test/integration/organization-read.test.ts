import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testBackends } from '../helpers/backends.js';
import { request, startTestServer, type TestServer } from '../helpers/server.js';

// GET of an organization reads the row and each child collection (private
// endpoints, BYOC configurations) in one statement. The test puts BYOC rows
// into the database itself, as rows from before migration 0007 are: without
// lifecycle instants, read with the state they were stored with.
for (const backend of testBackends()) {
  describe(`organization with its child collections [${backend}]`, () => {
    let server: TestServer;
    let base: string;

    before(async () => {
      server = await startTestServer({ backend });
      base = `/v1/organizations/${server.organizationId}`;
      const byoc = (id: string, position: number, regionId: string) => ({
        organization_id: server.organizationId,
        id,
        state: 'infra-ready',
        account_name: `account ${id}`,
        region_id: regionId,
        cloud_provider: 'aws',
        display_name: `BYOC ${id}`,
        position,
      });
      // Inserted out of order: the list follows position.
      await server.database.db.insertInto('byoc_infrastructures').values([byoc('byoc-b', 1, 'eu-west-1'), byoc('byoc-a', 0, 'us-east-1')]).execute();
      const patch = await request(server, 'PATCH', base, {
        auth: server.admin,
        body: { privateEndpoints: { add: [{ id: 'vpce-2', cloudProvider: 'aws', region: 'us-east-1', description: 'second' }, { id: 'vpce-1', cloudProvider: 'gcp', region: 'us-east1' }] } },
      });
      assert.equal(patch.status, 200);
    });
    after(() => server.close());

    it('returns the BYOC configurations and private endpoints together, each in its own order, with the vendor field names', async () => {
      const { status, body } = await request(server, 'GET', base, { auth: server.admin });
      assert.equal(status, 200);
      assert.deepEqual(body.result.byocConfig, [
        { id: 'byoc-a', state: 'infra-ready', accountName: 'account byoc-a', regionId: 'us-east-1', cloudProvider: 'aws', displayName: 'BYOC byoc-a' },
        { id: 'byoc-b', state: 'infra-ready', accountName: 'account byoc-b', regionId: 'eu-west-1', cloudProvider: 'aws', displayName: 'BYOC byoc-b' },
      ]);
      assert.deepEqual(body.result.privateEndpoints, [
        { id: 'vpce-2', description: 'second', cloudProvider: 'aws', region: 'us-east-1' },
        { id: 'vpce-1', description: '', cloudProvider: 'gcp', region: 'us-east1' },
      ]);
      assert.equal(body.result.enableCoreDumps, false);
      assert.equal(body.result.name, 'Test organization');
    });

    it('answers a PATCH with the BYOC configurations too, and the list endpoint the same organization', async () => {
      const patched = await request(server, 'PATCH', base, { auth: server.admin, body: { enableCoreDumps: true } });
      assert.equal(patched.status, 200);
      assert.equal(patched.body.result.byocConfig.length, 2);
      assert.equal(patched.body.result.enableCoreDumps, true);
      const listed = await request(server, 'GET', '/v1/organizations', { auth: server.admin });
      assert.deepEqual(listed.body.result, [patched.body.result]);
    });

    it('reads an organization without child rows as empty lists', async () => {
      const other = await server.bootstrap('Empty organization');
      const { body } = await request(server, 'GET', `/v1/organizations/${other.organizationId}`, { auth: other });
      assert.deepEqual(body.result.privateEndpoints, []);
      assert.deepEqual(body.result.byocConfig, []);
      assert.equal(body.result.name, 'Empty organization');
    });
  });
}
