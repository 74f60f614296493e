import type { FastifyContextConfig, FastifySchema } from 'fastify';
import { privateEndpointServiceId } from '../domain/organizations/private-endpoint-config.js';
import { QUOTAS } from '../vocabulary/quotas.js';

/**
 * The story the OpenAPI document's examples tell: one organization, its admin
 * key, a CI key, their roles, members and activities. Without examples
 * swagger-ui makes up "string" for every field, which tells a reader nothing
 * about IDs, enums or timestamps, and "try it" starts from a body the server
 * refuses. Each endpoint declares which parts of the story are its examples;
 * a test validates each against its schema.
 */

const ORGANIZATION_ID = '5e19f66b-b3c5-432f-87eb-7c4b5e1894e4';
const ADMIN_KEY_UUID = '9ca0f176-68f0-492c-bb03-c3f26f18c189';
const CI_KEY_UUID = '6f83e67f-7383-494d-ab11-ad9f2290cf2c';
const REQUEST_ID = '7dcc4c82-3469-4762-8e4a-42b317c25b52';
// System role IDs are derived from the organization's ID (system-roles.ts); these are ORGANIZATION_ID's.
const ADMIN_ROLE_ID = '093dfc7b-949e-53f0-b54a-8d813b3db361';
const DEVELOPER_ROLE_ID = '3abb7dca-208d-54c8-b378-9843156e5569';
const MEMBER_ROLE_ID = 'bfb846dc-931d-54c6-a34b-bccdb99259e3';
const DEPLOYER_ROLE_ID = 'b3e1c7a2-5d4f-4e8a-9b6c-1f2e3d4c5b6a';
const DEPLOYER_POLICY_ID = 'c8d7e6f5-a4b3-4c2d-8e1f-0a9b8c7d6e5f';
const TENANT = `organization/${ORGANIZATION_ID}`;

const organization = {
  id: ORGANIZATION_ID,
  createdAt: '2026-03-02T09:15:27.481Z',
  name: 'Acme Analytics',
  privateEndpoints: [{ id: 'vpce-0a1b2c3d4e5f67890', description: 'Production VPC', cloudProvider: 'aws', region: 'us-east-1' }],
  byocConfig: [],
  enableCoreDumps: false,
};

const byocInfrastructure = {
  id: '3f9a1c7e-8b2d-4e6f-a5c4-d3b2a1f0e9d8',
  state: 'infra-provisioning',
  accountName: '123456789012',
  regionId: 'us-east-1',
  cloudProvider: 'aws',
  displayName: 'Production data plane',
};

const ciKeyIpAccessList = [{ source: '203.0.113.0/24', description: 'CI runners' }];

const adminKey = {
  id: ADMIN_KEY_UUID,
  name: 'terraform',
  state: 'enabled',
  roles: ['admin'],
  assignedRoles: [{ roleId: ADMIN_ROLE_ID, roleName: 'Admin', roleType: 'system' }],
  keySuffix: 'm2Qa',
  createdAt: '2026-03-02T09:15:27.493Z',
  expireAt: null,
  usedAt: '2026-11-30T08:40:12.306Z',
  ipAccessList: [],
};

const ciKey = {
  id: CI_KEY_UUID,
  name: 'ci-deploy',
  state: 'enabled',
  // Created with assignedRoleIds [] (as clickhousectl does), then made an actor of the custom role.
  roles: [],
  assignedRoles: [{ roleId: DEPLOYER_ROLE_ID, roleName: 'deployer', roleType: 'custom' }],
  keySuffix: 'gqZx',
  createdAt: '2026-11-28T14:02:09.104Z',
  expireAt: '2027-06-30T00:00:00.000Z',
  ipAccessList: ciKeyIpAccessList,
};

const deployerPolicy = {
  allowDeny: 'ALLOW',
  permissions: ['control-plane:organization:view', 'control-plane:service:manage'],
  resources: [TENANT, 'instance/*'],
};

const deployerRole = {
  id: DEPLOYER_ROLE_ID,
  tenantId: TENANT,
  ownerId: TENANT,
  name: 'deployer',
  type: 'custom',
  actors: [`apiKey/${CI_KEY_UUID}`],
  policies: [{ id: DEPLOYER_POLICY_ID, roleId: DEPLOYER_ROLE_ID, tenantId: TENANT, ...deployerPolicy }],
  createdAt: '2026-11-28T14:01:40.512Z',
  updatedAt: '2026-11-28T14:01:40.512Z',
};

const adminRole = {
  id: ADMIN_ROLE_ID,
  tenantId: TENANT,
  ownerId: TENANT,
  name: 'Admin',
  type: 'system',
  actors: [`apiKey/${ADMIN_KEY_UUID}`],
  policies: [
    {
      id: 'f043dcd1-2fe8-5cf5-9dd0-fe71494f2d42',
      roleId: ADMIN_ROLE_ID,
      tenantId: TENANT,
      allowDeny: 'ALLOW',
      permissions: ['control-plane:organization:view', 'control-plane:organization:manage', '…'],
      resources: ['*'],
    },
  ],
  createdAt: '2026-03-02T09:15:27.481Z',
  updatedAt: '2026-03-02T09:15:27.481Z',
};

// Members join through the operator's `orgplane invitations accept` (or `members add`).
const adaMember = {
  userId: 'a41f3c9e-2d7b-4b8e-9f16-5c0d2e7a8b93',
  name: 'Ada Lovelace',
  email: 'ada@acme.example',
  role: 'admin',
  joinedAt: '2026-03-02T09:20:44.017Z',
  assignedRoles: [{ roleId: ADMIN_ROLE_ID, roleName: 'Admin', roleType: 'system' }],
};

const graceMember = {
  userId: 'c2d9e8f1-7a6b-4c5d-8e9f-0a1b2c3d4e5f',
  name: 'grace',
  email: 'grace@acme.example',
  role: 'developer',
  joinedAt: '2026-11-29T10:12:05.731Z',
  assignedRoles: [{ roleId: DEVELOPER_ROLE_ID, roleName: 'Developer', roleType: 'system' }],
};

const invitation = {
  id: 'e7b6a5c4-d3e2-4f10-9a8b-7c6d5e4f3a2b',
  email: 'dev@acme.example',
  role: 'developer',
  createdAt: '2026-11-30T08:42:31.245Z',
  expireAt: '2026-12-07T08:42:31.245Z',
  assignedRoles: [{ roleId: DEVELOPER_ROLE_ID, roleName: 'Developer', roleType: 'system' }],
};

const memberInvitation = {
  id: 'f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9',
  email: 'analyst@acme.example',
  createdAt: '2026-11-30T08:43:10.902Z',
  expireAt: '2026-12-07T08:43:10.902Z',
  assignedRoles: [{ roleId: MEMBER_ROLE_ID, roleName: 'Member', roleType: 'system' }],
};

const apiActor = {
  actorType: 'api',
  actorId: ADMIN_KEY_UUID,
  actorDetails: 'API key "terraform"',
  actorIpAddress: '198.51.100.23',
  userAgent: 'terraform-provider-clickhouse/3.3.0',
  organizationId: ORGANIZATION_ID,
};

const activities = [
  { id: '01a22b9c-9712-732a-a479-7d9c404d1652', createdAt: '2026-11-30T08:40:12.306Z', type: 'openapi_key_update', ...apiActor, targetKeyId: CI_KEY_UUID, keyUpdateType: 'state-changed' },
  { id: '01a22278-30f0-7b81-be37-abb81d4400d9', createdAt: '2026-11-28T14:03:51.920Z', type: 'organization_update_name', ...apiActor },
  { id: '01a22276-9f5e-7c65-8f23-998a547f852e', createdAt: '2026-11-28T14:02:09.118Z', type: 'key_create', ...apiActor, targetKeyId: CI_KEY_UUID },
  {
    id: '019cadd4-c185-7a21-9215-7c9a85d6dd65',
    createdAt: '2026-03-02T09:15:27.493Z',
    type: 'create_organization',
    actorType: 'system',
    actorId: 'orgplane-cli',
    actorDetails: 'orgplane bootstrap',
    organizationId: ORGANIZATION_ID,
  },
];

const ANALYTICS_SERVICE_ID = '3f0c2a51-7d8e-4b19-a6c4-52e8d1f09b7a';
const ANALYTICS_WAREHOUSE_ID = 'a8d41e6b-0c37-4f92-8b5d-e17f3c9a2046';

// Two records of one day: a service and its data warehouse, the day before the example's "today" (not locked yet).
const usageCost = {
  grandTotalCHC: 101.0345,
  costs: [
    {
      dataWarehouseId: ANALYTICS_WAREHOUSE_ID,
      serviceId: ANALYTICS_SERVICE_ID,
      date: '2026-11-29',
      entityType: 'service',
      entityId: ANALYTICS_SERVICE_ID,
      entityName: 'analytics-prod',
      metrics: { computeCHC: 86.4125, publicDataTransferCHC: 1.25 },
      totalCHC: 87.6625,
      locked: false,
    },
    {
      dataWarehouseId: ANALYTICS_WAREHOUSE_ID,
      serviceId: null,
      date: '2026-11-29',
      entityType: 'datawarehouse',
      entityId: ANALYTICS_WAREHOUSE_ID,
      entityName: 'analytics-prod warehouse',
      metrics: { storageCHC: 12.372, backupCHC: 1 },
      totalCHC: 13.372,
      locked: false,
    },
  ],
};

/** The example organization's quotas: the defaults, with service records of both kinds. */
const USAGE_BY_KIND: Record<string, number> = { clickhouse: 3, postgres: 1 };
const quotas = QUOTAS.map((q) => ({
  quotaCode: q.code,
  name: q.name,
  description: q.description,
  scope: q.scope,
  value: q.defaultValue,
  ...(q.usageOf === undefined ? {} : { usage: USAGE_BY_KIND[q.usageOf] }),
  adjustable: q.defaultAdjustable,
}));

// What GET …/prometheus answers for one ClickHouse service record.
const prometheus = [
  '# HELP ClickHouse_ServiceInfo Information about service, including cluster status and ClickHouse version',
  '# TYPE ClickHouse_ServiceInfo gauge',
  `ClickHouse_ServiceInfo{clickhouse_org="${ORGANIZATION_ID}",clickhouse_service="${ANALYTICS_SERVICE_ID}",clickhouse_service_name="analytics-prod",clickhouse_cluster_status="running",clickhouse_version="25.8"} 1`,
  '',
].join('\n');

/** The parts of the story the endpoints' examples use. */
export const example = {
  organization,
  privateEndpointConfig: { endpointServiceId: privateEndpointServiceId(ORGANIZATION_ID, 'aws', 'us-east-1') },
  organizationUpdate: {
    name: 'Acme Analytics',
    privateEndpoints: {
      add: [{ id: 'vpce-0a1b2c3d4e5f67890', cloudProvider: 'aws', region: 'us-east-1', description: 'Production VPC' }],
      remove: [{ id: 'vpce-0fedcba9876543210' }],
    },
  },
  activities,
  adminKey,
  ciKey,
  ciKeyCreate: { name: 'ci-deploy', assignedRoleIds: [], expireAt: '2027-06-30T00:00:00Z', ipAccessList: ciKeyIpAccessList },
  // The only answer that ever shows a key ID and secret; usedAt is absent until the key's first use.
  ciKeyCreated: { key: { ...ciKey, assignedRoles: [] }, keyId: '3t8WGGt3wTyXH2XJgqZx', keySecret: 'GzZd4PI2E4YFJPLT4EvaZyREHkCHUZb3ajRmFbXXmb' },
  adminRole,
  deployerRole,
  deployerRoleCreate: { name: 'deployer', actors: [`apiKey/${CI_KEY_UUID}`], policies: [deployerPolicy] },
  deployerRoleEmptied: { ...deployerRole, actors: [], updatedAt: '2026-11-30T08:41:02.117Z' },
  adaMember,
  graceMember,
  developerRoleId: DEVELOPER_ROLE_ID,
  invitation,
  invitationCreate: { email: 'Dev@Acme.example', assignedRoleIds: [DEVELOPER_ROLE_ID] },
  memberInvitation,
  usageCost,
  quotas,
  prometheus,
  byocInfrastructureCreate: {
    regionId: 'us-east-1',
    accountId: '123456789012',
    availabilityZoneSuffixes: ['a', 'b', 'c'],
    vpcCidrRange: '10.0.0.0/16',
    displayName: 'Production data plane',
  },
  byocInfrastructure,
};

/** What the server says for each error status (the document test compares the 401 with a live one). */
function errorMessage(config: FastifyContextConfig, status: number): string {
  const examples = config.examples ?? {};
  switch (status) {
    case 400:
      return examples.badRequest ?? "Invalid path parameter 'organizationId': must be a valid uuid";
    case 401:
      return 'Authentication failed: provide a valid, enabled API key with HTTP Basic authentication';
    case 403:
      // Any key of the organization may view it: what a view refuses is another organization.
      return config.access === 'control-plane:organization:view'
        ? 'This API key has no access to the requested organization'
        : `This API key's roles do not grant the permission '${config.access}'`;
    case 404:
      return examples.notFound ?? 'Organization not found';
    case 409:
      return examples.conflict ?? 'Conflict';
    case 413:
      return 'Request body is larger than the 1 MiB limit';
    case 415:
      return 'Unsupported content type: send application/json';
    case 429:
      return 'Rate limit exceeded: 10 requests per 10 s per API key; retry in 7 s';
    case 503:
      return examples.unavailable ?? 'The service is temporarily unavailable; retry shortly';
    default:
      return 'Internal server error';
  }
}

function exampleFor(config: FastifyContextConfig, status: number): unknown {
  if (status >= 400) return { status, error: errorMessage(config, status), requestId: REQUEST_ID };
  const result = config.examples?.result;
  return result === undefined ? { status, requestId: REQUEST_ID } : { status, requestId: REQUEST_ID, result };
}

/**
 * Puts an endpoint's declared examples on its body and response schemas (as
 * JSON Schema `examples`, which @fastify/swagger moves to the media type's
 * `example`, the one swagger-ui shows and pre-fills "try it" with). Each
 * schema is copied first: route files share schema objects between routes.
 */
export function applyExamples(schema: FastifySchema, config: FastifyContextConfig): void {
  const { examples } = config;
  if (examples === undefined) return;
  if (examples.body !== undefined && schema.body) schema.body = { ...(schema.body as object), examples: [examples.body] };
  const response = (schema.response ?? {}) as Record<string, object>;
  for (const [status, responseSchema] of Object.entries(response)) {
    response[status] =
      'content' in responseSchema
        ? withTextExample(responseSchema as TextResponse, examples.result as string)
        : { ...responseSchema, examples: [exampleFor(config, Number(status))] };
  }
}

type TextResponse = { content: Record<string, { schema: object; example?: string }> };

/** A text response (a `bare` endpoint with a content type) with the example on each of its media types: swagger moves none from a schema there. */
function withTextExample(response: TextResponse, text: string): TextResponse {
  const content = Object.fromEntries(Object.entries(response.content).map(([media, { schema }]) => [media, { schema, example: text }]));
  return { ...response, content };
}
