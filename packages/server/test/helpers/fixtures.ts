import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ApiError } from '../../src/domain/errors.js';
import { generateKeyPair, type KeyPair } from '../../src/domain/keys/key-material.js';
import type { Fixture } from '../../src/domain/fixtures/fixture-schema.js';
import { takeSnapshot } from '../../src/domain/fixtures/snapshot.js';
import type { Domain } from '../../src/domain/domain.js';
import { request, type Credentials } from './server.js';

// Fixtures for the seed / snapshot / reset suites, and what they compare.

export const VIEW_POLICY = { allowDeny: 'ALLOW' as const, permissions: ['control-plane:organization:view'], resources: ['*'] };

export const USAGE_SERVICE_ID = '3f0c2a51-7d8e-4b19-a6c4-52e8d1f09b7a';
export const USAGE_WAREHOUSE_ID = 'a8d41e6b-0c37-4f92-8b5d-e17f3c9a2046';

/** A fixture of one organization with something of every kind; `credentials` are its keys' known key IDs and secrets. */
/** The ID of richFixture's first service record. */
export const FIXTURE_SERVICE_ID = '6c1f8a47-3b5e-4d9a-8f21-0e7d4c2b9a13';

export function richFixture(credentials: KeyPair[] = [generateKeyPair(), generateKeyPair()]): { fixture: Fixture; organizationId: string; credentials: KeyPair[] } {
  const organizationId = randomUUID();
  const [admin, viewer] = credentials as [KeyPair, KeyPair];
  const fixture: Fixture = {
    organizations: [
      {
        id: organizationId,
        name: 'Fixture Org',
        createdAt: '2025-01-01T00:00:00Z',
        enableCoreDumps: true,
        privateEndpoints: [
          { id: 'vpce-0b', description: 'second added first', cloudProvider: 'aws', region: 'us-east-1' },
          { id: 'vpce-0a', cloudProvider: 'aws', region: 'eu-west-1' },
        ],
        byocInfrastructures: [
          { id: 'byoc-1', state: 'infra-ready', accountName: '123456789012', regionId: 'us-east-1', cloudProvider: 'aws', displayName: 'Acme prod' },
          // Still provisioning, with its own zones and range and a default ID and name.
          { accountName: 'acme-analytics-eu', regionId: 'europe-west4', availabilityZoneSuffixes: ['b', 'c'], vpcCidrRange: '10.20.0.0/20', createdAt: '2025-01-06T00:00:00Z', readyAt: '2099-01-01T00:00:00Z' },
        ],
        roles: [{ name: 'Viewers', policies: [VIEW_POLICY], createdAt: '2025-01-02T00:00:00Z' }],
        keys: [
          { name: 'admin', ...admin, roles: ['admin'], createdAt: '2025-01-03T00:00:00Z', ipAccessList: [{ source: '127.0.0.0/8', description: 'loopback' }] },
          { name: 'viewer', ...viewer, assignedRoleIds: ['viewers'], expireAt: '2099-01-01T00:00:00Z', usedAt: '2025-02-01T00:00:00Z' },
          { name: 'disabled', ...generateKeyPair(), roles: ['developer'], state: 'disabled' },
        ],
        members: [
          { email: 'Owner@Example.com', name: 'Owner', role: 'admin', joinedAt: '2025-01-04T00:00:00Z' },
          { email: 'viewer@example.com', assignedRoleIds: ['Viewers', 'Member'] },
        ],
        invitations: [
          { email: 'invited@example.com', role: 'developer' },
          { email: 'lapsed@example.com', createdAt: '2025-01-05T00:00:00Z', expireAt: '2025-01-12T00:00:00Z' },
        ],
        usageRecords: [
          {
            date: '2025-01-06',
            entityType: 'service',
            entityId: USAGE_SERVICE_ID,
            entityName: 'analytics',
            dataWarehouseId: USAGE_WAREHOUSE_ID,
            serviceId: USAGE_SERVICE_ID,
            metrics: { computeCHC: 86.4125, publicDataTransferCHC: '1.250000' },
            tags: { env: 'prod' },
          },
          { date: '2025-01-06', entityType: 'datawarehouse', entityId: USAGE_WAREHOUSE_ID, entityName: 'analytics warehouse', dataWarehouseId: USAGE_WAREHOUSE_ID, metrics: { storageCHC: '0.1' } },
        ],
        services: [
          { id: FIXTURE_SERVICE_ID, name: 'warehouse "main" \\ eu', createdAt: '2025-01-06T00:00:00Z', tags: { env: 'prod', team: '' } },
          { name: 'pg', kind: 'postgres', state: 'idle', version: '17' },
        ],
        quotas: [
          { quotaCode: 'replicas-per-warehouse', value: 12, adjustable: false },
          { quotaCode: 'postgres-services-per-organization', applies: false },
        ],
      },
    ],
  };
  return { fixture, organizationId, credentials };
}

/** Asserts that fn is refused with `status` and a message containing each of `mentions`. */
export async function assertRefused(fn: () => Promise<unknown>, status: number, ...mentions: string[]): Promise<ApiError> {
  let caught: unknown;
  try {
    await fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof ApiError, `expected an ApiError ${status}, got ${String(caught)}`);
  assert.equal(caught.status, status, caught.message);
  for (const mention of mentions) assert.ok(caught.message.includes(mention), `'${caught.message}' should mention '${mention}'`);
  return caught;
}

/** Asserts that fn is refused as assertRefused says and that the whole state is what it was. */
export async function assertRefusedUnchanged(domain: Domain, fn: () => Promise<unknown>, status: number, ...mentions: string[]): Promise<ApiError> {
  const before = JSON.stringify(await takeSnapshot(domain));
  const error = await assertRefused(fn, status, ...mentions);
  assert.equal(JSON.stringify(await takeSnapshot(domain)), before, 'a refused fixture changed the state');
  return error;
}

/**
 * Every read the organization API answers about one organization, as response
 * text without its requestId: the organization, the private endpoint
 * configuration, every list and every item of it.
 */
export async function apiResponses(server: { url: string }, organizationId: string, auth: Credentials): Promise<Record<string, string>> {
  const responses: Record<string, string> = {};
  const get = async (path: string): Promise<any> => {
    const res = await request(server, 'GET', `/v1/organizations/${organizationId}${path}`, { auth });
    assert.equal(res.status, 200, `${path}: ${res.text}`);
    responses[path] = res.text.replace(/"requestId":"[^"]+"/, '');
    return res.body.result;
  };
  await get('');
  await request(server, 'GET', '/v1/organizations', { auth }).then((res) => (responses['/v1/organizations'] = res.text.replace(/"requestId":"[^"]+"/, '')));
  await get('/privateEndpointConfig?cloud_provider=aws&region_id=us-east-1');
  await get('/usageCost?from_date=2025-01-01&to_date=2025-01-31');
  for (const quota of await get('/quotas')) await get(`/quotas/${quota.quotaCode}`);
  const metrics = await request(server, 'GET', `/v1/organizations/${organizationId}/prometheus`, { auth });
  assert.equal(metrics.status, 200, metrics.text);
  responses['/prometheus'] = metrics.text;
  for (const [list, id] of [['keys', 'id'], ['roles', 'id'], ['members', 'userId'], ['invitations', 'id'], ['activities', 'id']] as const) {
    for (const item of await get(`/${list}`)) await get(`/${list}/${item[id]}`);
  }
  return responses;
}
