import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { buildApp } from '../../src/app.js';
import { systemClock } from '../../src/clock.js';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { bootstrapOrganization } from '../../src/domain/bootstrap.js';
import { REGIONS_BY_PROVIDER, type CloudProvider } from '../../src/vocabulary/cloud-regions.js';
import { createDomain } from '../../src/domain/create-domain.js';
import { ApiError } from '../../src/domain/errors.js';
import { getPrivateEndpointConfig, privateEndpointServiceId } from '../../src/domain/organizations/private-endpoint-config.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase, testBackends, type Backend } from '../helpers/backends.js';
import { createApiKey } from '../helpers/keys.js';
import { request, startTestServer, type Credentials, type TestServer } from '../helpers/server.js';

/**
 * The vendor's 200 answer of organizationPrivateEndpointConfigGetList, copied
 * from its OpenAPI document (the envelope, and
 * components.schemas.OrganizationCloudRegionPrivateEndpointConfig as $defs).
 */
const VENDOR_RESPONSE_SCHEMA = {
  type: 'object',
  properties: {
    status: { type: 'number' },
    requestId: { type: 'string', format: 'uuid' },
    result: { $ref: '#/$defs/OrganizationCloudRegionPrivateEndpointConfig' },
  },
  $defs: {
    OrganizationCloudRegionPrivateEndpointConfig: { properties: { endpointServiceId: { type: 'string' } } },
  },
};
const ajv = new Ajv2020.default({ allErrors: true, strictTypes: false });
addFormats.default(ajv);
const validateVendor = ajv.compile(VENDOR_RESPONSE_SCHEMA);
/** Whether a body is valid against the vendor's schema (a plain boolean: the type guard would narrow the body to unknown). */
const matchesVendorSchema = (body: unknown): boolean => validateVendor(body);

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The real providers' formats: an AWS VPC endpoint service name, a GCP service attachment, an Azure Private Link service alias. */
function formatOf(provider: CloudProvider, region: string): RegExp {
  const r = escape(region);
  switch (provider) {
    case 'aws':
      return new RegExp(`^com\\.amazonaws\\.vpce\\.${r}\\.vpce-svc-[0-9a-f]{17}$`);
    case 'gcp':
      // Project IDs: 6–30 of [a-z0-9-], a letter first, no hyphen last; attachment names: RFC 1035, at most 63.
      return new RegExp(`^projects/(?=[a-z0-9-]{6,30}/)ch-[a-z0-9-]*[a-z0-9]/regions/${r}/serviceAttachments/[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$`);
    case 'azure':
      return new RegExp(`^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.${r}\\.azure\\.privatelinkservice$`);
  }
}

const EVERY_REGION = (Object.entries(REGIONS_BY_PROVIDER) as [CloudProvider, readonly string[]][]).flatMap(([provider, regions]) =>
  regions.map((region) => [provider, region] as const),
);

/** A server on an existing database (no first organization), to stop and start again on the same data. */
async function serveDatabase(url: string): Promise<{ url: string; close(): Promise<void> }> {
  const database = openDatabase(url);
  await migrateToLatest(database);
  const app = await buildApp({
    config: { rateLimit: null, trustProxy: [] },
    database,
    domain: createDomain(database, systemClock),
    logger: createLogger(new Writable({ write: (_chunk, _enc, done) => done() })),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

describe('private endpoint service IDs (pure derivation)', () => {
  it('never changes for a given organization, provider and region (values handed out stay valid)', () => {
    const org = '5e19f66b-b3c5-432f-87eb-7c4b5e1894e4';
    assert.equal(privateEndpointServiceId(org, 'aws', 'us-east-1'), 'com.amazonaws.vpce.us-east-1.vpce-svc-ab997fa74c41daee6');
    assert.equal(privateEndpointServiceId(org, 'aws', 'us-east-1'), privateEndpointServiceId(org, 'aws', 'us-east-1'));
  });

  it('has each provider\'s format in every region', () => {
    for (const [provider, region] of EVERY_REGION) {
      const id = privateEndpointServiceId('6f1d1a58-8e8f-4c37-9a57-0a3c1f1f0b11', provider, region);
      assert.match(id, formatOf(provider, region), `${provider} ${region}`);
    }
  });
});

for (const backend of testBackends()) {
  describe(`GET /v1/organizations/{organizationId}/privateEndpointConfig [${backend}]`, () => {
    let server: TestServer;
    let path: string;
    const get = (query: string, auth: Credentials = server.admin, base = path) => request(server, 'GET', `${base}?${query}`, { auth });

    before(async () => {
      server = await startTestServer({ backend });
      path = `/v1/organizations/${server.organizationId}/privateEndpointConfig`;
    });
    after(() => server.close());

    it("answers Terraform's request with the vendor's shape", async () => {
      const res = await get('cloud_provider=aws&region_id=us-east-1');
      assert.equal(res.status, 200, res.text);
      assert.ok(matchesVendorSchema(res.body), JSON.stringify(validateVendor.errors));
      assert.deepEqual(Object.keys(res.body).sort(), ['requestId', 'result', 'status']);
      assert.equal(res.body.status, 200);
      assert.match(res.body.requestId, UUID_V4);
      assert.deepEqual(Object.keys(res.body.result), ['endpointServiceId']);
      assert.match(res.body.result.endpointServiceId, formatOf('aws', 'us-east-1'));
    });

    it("answers every region of every provider in that provider's format, each with its own ID", async () => {
      const seen = new Set<string>();
      for (const [provider, region] of EVERY_REGION) {
        const res = await get(`cloud_provider=${provider}&region_id=${region}`);
        assert.equal(res.status, 200, res.text);
        assert.ok(matchesVendorSchema(res.body), JSON.stringify(validateVendor.errors));
        assert.match(res.body.result.endpointServiceId, formatOf(provider, region), `${provider} ${region}`);
        seen.add(res.body.result.endpointServiceId);
      }
      assert.equal(seen.size, EVERY_REGION.length);
    });

    it('gives the same answer every time, whatever the case of the organization ID and the order of the parameters', async () => {
      const first = await get('cloud_provider=gcp&region_id=us-central1');
      const again = await get('cloud_provider=gcp&region_id=us-central1');
      const reordered = await get('region_id=us-central1&cloud_provider=gcp');
      const upper = await get('cloud_provider=gcp&region_id=us-central1', server.admin, path.replace(server.organizationId, server.organizationId.toUpperCase()));
      for (const res of [first, again, reordered, upper]) assert.equal(res.status, 200, res.text);
      assert.equal(again.body.result.endpointServiceId, first.body.result.endpointServiceId);
      assert.equal(reordered.body.result.endpointServiceId, first.body.result.endpointServiceId);
      assert.equal(upper.body.result.endpointServiceId, first.body.result.endpointServiceId);
    });

    it('gives another organization other IDs, and refuses it this organization (403)', async () => {
      const other = await server.bootstrap('Other organization', 'developer');
      const otherPath = `/v1/organizations/${other.organizationId}/privateEndpointConfig`;
      for (const [provider, region] of [['aws', 'us-east-1'], ['gcp', 'europe-west4'], ['azure', 'eastus2']]) {
        const query = `cloud_provider=${provider}&region_id=${region}`;
        const mine = await get(query);
        const theirs = await get(query, other, otherPath);
        assert.equal(theirs.status, 200, theirs.text);
        assert.notEqual(theirs.body.result.endpointServiceId, mine.body.result.endpointServiceId);
        const refused = await get(query, other);
        assert.equal(refused.status, 403, refused.text);
        assert.equal(refused.body.error, 'This API key has no access to the requested organization');
        assert.ok(!('result' in refused.body));
      }
    });

    it('is readable by developer keys, with the same answer as for admin keys', async () => {
      const developer = await createApiKey(server, { roles: ['developer'] });
      const [asDeveloper, asAdmin] = [await get('cloud_provider=azure&region_id=westus3', developer), await get('cloud_provider=azure&region_id=westus3')];
      assert.equal(asDeveloper.status, 200, asDeveloper.text);
      assert.equal(asDeveloper.body.result.endpointServiceId, asAdmin.body.result.endpointServiceId);
    });

    const refusals: [string, string, string][] = [
      ['no parameters', '', "Missing required query parameter 'cloud_provider'"],
      ['missing cloud_provider', 'region_id=us-east-1', "Missing required query parameter 'cloud_provider'"],
      ['missing region_id', 'cloud_provider=aws', "Missing required query parameter 'region_id'"],
      ['an unknown provider', 'cloud_provider=oracle&region_id=us-east-1', "Invalid query parameter 'cloud_provider': must be one of aws, gcp, azure"],
      ['a provider in upper case', 'cloud_provider=AWS&region_id=us-east-1', "Invalid query parameter 'cloud_provider': must be one of aws, gcp, azure"],
      ['an empty provider', 'cloud_provider=&region_id=us-east-1', "Invalid query parameter 'cloud_provider': must be one of aws, gcp, azure"],
      ['a region of another provider', 'cloud_provider=aws&region_id=eastus', "Invalid query parameter 'region_id': 'eastus' is not a region of cloud provider 'aws'"],
      ['an AWS region for gcp', 'cloud_provider=gcp&region_id=us-east-1', "Invalid query parameter 'region_id': 'us-east-1' is not a region of cloud provider 'gcp'"],
      ['a GCP region for azure', 'cloud_provider=azure&region_id=us-central1', "Invalid query parameter 'region_id': 'us-central1' is not a region of cloud provider 'azure'"],
      ['an unknown region', 'cloud_provider=aws&region_id=mars-north-1', "Invalid query parameter 'region_id': must be one of ap-northeast-1"],
      ['an unknown parameter', 'cloud_provider=aws&region_id=us-east-1&vpc=1', "Unknown query parameter 'vpc'"],
      ['a repeated parameter', 'cloud_provider=aws&cloud_provider=aws&region_id=us-east-1', "Invalid query parameter 'cloud_provider'"],
    ];
    for (const [what, query, message] of refusals) {
      it(`refuses ${what} with a 400 naming the parameter`, async () => {
        const res = await get(query);
        assert.equal(res.status, 400, res.text);
        assert.deepEqual(Object.keys(res.body).sort(), ['error', 'requestId', 'status']);
        assert.equal(res.body.status, 400);
        assert.match(res.body.requestId, UUID_V4);
        assert.ok(res.body.error.startsWith(message), `${res.body.error} does not start with ${message}`);
      });
    }

    it('refuses a malformed organization ID with a 400 naming it', async () => {
      const res = await get('cloud_provider=aws&region_id=us-east-1', server.admin, '/v1/organizations/not-a-uuid/privateEndpointConfig');
      assert.equal(res.status, 400, res.text);
      assert.match(res.body.error, /organizationId/);
    });

    it('answers 404 "Organization not found" to a key whose organization was deleted a moment ago', async () => {
      const doomed = await server.bootstrap('Deleted soon');
      const doomedPath = `/v1/organizations/${doomed.organizationId}/privateEndpointConfig`;
      assert.equal((await get('cloud_provider=aws&region_id=us-east-1', doomed, doomedPath)).status, 200);
      // Deleting the row cascades to its keys; this instance still holds the verified key for up to KEY_CACHE_TTL_MS (1 s).
      await server.database.db.deleteFrom('organizations').where('id', '=', doomed.organizationId).execute();
      const res = await get('cloud_provider=aws&region_id=us-east-1', doomed, doomedPath);
      assert.equal(res.status, 404, res.text);
      assert.equal(res.body.error, 'Organization not found');
    });

    it('answers "Organization not found" for an organization that does not exist (the service itself)', async () => {
      await assert.rejects(getPrivateEndpointConfig(server.domain.db, '6f1d1a58-8e8f-4c37-9a57-0a3c1f1f0b11', 'aws', 'us-east-1'), (err: unknown) => {
        assert.ok(err instanceof ApiError);
        assert.equal(err.status, 404);
        assert.equal(err.message, 'Organization not found');
        return true;
      });
    });

    it('refuses other methods with 405', async () => {
      const res = await request(server, 'POST', `${path}?cloud_provider=aws&region_id=us-east-1`, { auth: server.admin, body: {} });
      assert.equal(res.status, 405, res.text);
      assert.equal(res.headers.get('allow'), 'GET, HEAD');
    });
  });

  describe(`privateEndpointConfig across a restart [${backend}]`, () => {
    it('gives the same IDs after the server restarts on the same database', async () => {
      await restartCheck(backend);
    });
  });
}

async function restartCheck(backend: Backend): Promise<void> {
  const testDb = await createTestDatabase(backend);
  try {
    const setup = openDatabase(testDb.url);
    await migrateToLatest(setup);
    const boot = await bootstrapOrganization(createDomain(setup, systemClock), { organizationName: 'Restart', keyName: 'admin', role: 'admin' }, 'bootstrap');
    await setup.close();
    const auth: Credentials = { keyId: boot.keyId, keySecret: boot.keySecret };
    const queries = ['cloud_provider=aws&region_id=us-east-1', 'cloud_provider=gcp&region_id=asia-northeast1', 'cloud_provider=azure&region_id=germanywestcentral'];
    const answers = async (): Promise<string[]> => {
      const running = await serveDatabase(testDb.url);
      try {
        const ids: string[] = [];
        for (const query of queries) {
          const res = await request(running, 'GET', `/v1/organizations/${boot.organizationId}/privateEndpointConfig?${query}`, { auth });
          assert.equal(res.status, 200, res.text);
          ids.push(res.body.result.endpointServiceId);
        }
        return ids;
      } finally {
        await running.close();
      }
    };
    const before = await answers();
    const after = await answers();
    assert.deepEqual(after, before);
    assert.equal(new Set(before).size, queries.length);
  } finally {
    await testDb.drop();
  }
}
