import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { OrganizationPermission } from '../../src/vocabulary/permissions.js';
import { systemActor } from '../../src/domain/actor.js';
import { addMember } from '../../src/domain/members/member.service.js';
import { waitForKeyCache } from './key-cache.js';
import { createApiKey, expireKeyInDatabase } from './keys.js';
import { request, type TestServer, startTestServer } from './server.js';

/**
 * The access matrix: every /v1 operation of the app × every kind of caller →
 * the exact status and error. The operations come from the app itself (its
 * OpenAPI document at GET /v1); the expectations are this file's tables: the
 * permission each operation needs (EXPECTATIONS, keyed by operationId) and
 * what each kind of caller is (CALLER_KINDS: a credential failure, which
 * includes a valid key from outside its allow list, or a key whose roles
 * grant exactly the organization permissions listed there). A cell's status follows from the two. The test file
 * generates one test per cell, and fails when the app has an operation the
 * table lacks, or the table one the app lacks.
 */
export const CALLERS = [
  'none',
  'malformed',
  'unknownKey',
  'wrongSecret',
  'disabled',
  'expired',
  'otherOrg',
  'developer',
  'queryEndpoints',
  'ipOutside',
  'admin',
  'customPartial',
  'customDeny',
  'noRoles',
  'memberRole',
  'billing',
  'orgApiReader',
] as const;
export type Caller = (typeof CALLERS)[number];

const VIEW = 'control-plane:organization:view';
const MANAGE = 'control-plane:organization:manage';
const VIEW_BILLING = 'control-plane:organization:view-billing';
const MANAGE_BILLING = 'control-plane:organization:manage-billing';
const VIEW_KEYS = 'control-plane:organization:view-api-keys';
const CREATE_KEYS = 'control-plane:organization:create-api-keys';
const UPDATE_KEYS = 'control-plane:organization:update-api-keys';
const DELETE_KEYS = 'control-plane:organization:delete-api-keys';
const SUPPORT = 'control-plane:support:manage';

/**
 * Every organization-level permission, spelled out here rather than imported,
 * so that a permission the app adds makes 'lists every organization
 * permission the app has' fail until this file's tables are revisited.
 */
export const ALL_ORGANIZATION_PERMISSIONS: readonly OrganizationPermission[] = [
  VIEW,
  MANAGE,
  VIEW_BILLING,
  MANAGE_BILLING,
  VIEW_KEYS,
  CREATE_KEYS,
  UPDATE_KEYS,
  DELETE_KEYS,
  SUPPORT,
];

/** What one kind of caller is. */
export type CallerKind =
  /**
   * Its credentials do not authenticate (none, malformed, unknown, wrong
   * secret, disabled, expired, or a valid key from outside its IP allow list,
   * which must not tell a right secret from a wrong one): 401 everywhere.
   */
  | { kind: 'unauthenticated' }
  /**
   * A valid key whose roles grant exactly these organization permissions on its
   * organization. `foreign`: the key belongs to another organization (it gets
   * 403 on every path that names this one, and its own data elsewhere).
   */
  | { kind: 'key'; grants: readonly OrganizationPermission[]; foreign?: true };

/**
 * What each kind of caller's roles grant on the organization, stated
 * explicitly (not computed from the app's role table, which this checks).
 */
export const CALLER_KINDS: Record<Caller, CallerKind> = {
  none: { kind: 'unauthenticated' },
  malformed: { kind: 'unauthenticated' },
  unknownKey: { kind: 'unauthenticated' },
  wrongSecret: { kind: 'unauthenticated' },
  disabled: { kind: 'unauthenticated' },
  expired: { kind: 'unauthenticated' },
  ipOutside: { kind: 'unauthenticated' },
  // The Admin key of another organization.
  otherOrg: { kind: 'key', grants: ALL_ORGANIZATION_PERMISSIONS, foreign: true },
  // The Admin system role.
  admin: { kind: 'key', grants: ALL_ORGANIZATION_PERMISSIONS },
  // Created with the deprecated roles ["developer"]: the Developer system role.
  developer: { kind: 'key', grants: [VIEW, VIEW_BILLING] },
  // Created with the deprecated roles ["query_endpoints"]: the Query endpoints system role, which grants only a service permission.
  queryEndpoints: { kind: 'key', grants: [] },
  // Only a custom role that ALLOWs view and view-api-keys on '*'.
  customPartial: { kind: 'key', grants: [VIEW, VIEW_KEYS] },
  // The Admin system role plus a custom role that DENYs manage and delete-api-keys on '*': DENY wins.
  customDeny: { kind: 'key', grants: [VIEW, VIEW_BILLING, MANAGE_BILLING, VIEW_KEYS, CREATE_KEYS, UPDATE_KEYS, SUPPORT] },
  // Created with assignedRoleIds [].
  noRoles: { kind: 'key', grants: [] },
  // Only the Member system role, which has no policies.
  memberRole: { kind: 'key', grants: [] },
  // The Billing system role.
  billing: { kind: 'key', grants: [VIEW, VIEW_BILLING, MANAGE_BILLING] },
  // The Org API reader system role.
  orgApiReader: { kind: 'key', grants: [VIEW, VIEW_BILLING, VIEW_KEYS] },
};

/** One operation as the app's OpenAPI document lists it. */
export interface Operation {
  operationId: string;
  /** Upper case, as sent. */
  method: string;
  /** The path template, e.g. /v1/organizations/{organizationId}/keys/{keyId}. */
  path: string;
}

export const operationName = (op: Operation): string => `${op.method} ${op.path}`;

/** Every /v1 operation the app serves, read from the OpenAPI document a freshly started server serves at GET /v1. */
export async function appV1Operations(): Promise<Operation[]> {
  const server = await startTestServer();
  try {
    const res = await request(server, 'GET', '/v1');
    if (res.status !== 200) throw new Error(`GET /v1 answered ${res.status}: ${res.text}`);
    const operations: Operation[] = [];
    for (const [path, item] of Object.entries<Record<string, { operationId?: string }>>(res.body.paths)) {
      if (!path.startsWith('/v1/')) continue;
      for (const [method, op] of Object.entries(item)) {
        if (!op.operationId) throw new Error(`${method.toUpperCase()} ${path} has no operationId in the OpenAPI document`);
        operations.push({ operationId: op.operationId, method: method.toUpperCase(), path });
      }
    }
    return operations;
  } finally {
    await server.close();
  }
}

export interface MatrixContext {
  server: TestServer;
  activityId: string;
  /** The IDs of the organization's system roles, by name (from GET …/roles). */
  systemRoleIds: Record<string, string>;
}

/** What the table says about one operation. */
export interface Expectation {
  /** The organization permission the operation needs. */
  permission: OrganizationPermission;
  /** Whether the path names an organization (a foreign key then gets 403, not its own data). */
  orgScoped: boolean;
  /** The request body, for operations that take one (called once per request: bodies create their own targets, so a cell can be repeated). */
  body?: (ctx: MatrixContext) => unknown;
  /** A query string appended to the path, with its '?'. */
  query?: string;
  /** The status of a granted call (default 200). */
  successStatus?: number;
}

let nameCounter = 0;
const uniqueName = (prefix: string): string => `${prefix} ${nameCounter++}`;

/** The expectations, by operationId. */
export const EXPECTATIONS: Record<string, Expectation> = {
  organizationGetList: { permission: VIEW, orgScoped: false },
  organizationGet: { permission: VIEW, orgScoped: true },
  organizationUpdate: { permission: MANAGE, orgScoped: true, body: () => ({ name: uniqueName('renamed') }) },
  activityGetList: { permission: VIEW, orgScoped: true },
  activityGet: { permission: VIEW, orgScoped: true },
  openapiKeyGetList: { permission: VIEW_KEYS, orgScoped: true },
  openapiKeyCreate: {
    permission: CREATE_KEYS,
    orgScoped: true,
    // The Developer role: one every key that may create keys can hand out.
    body: (ctx) => ({ name: 'matrix', assignedRoleIds: [ctx.systemRoleIds.Developer] }),
  },
  openapiKeyGet: { permission: VIEW_KEYS, orgScoped: true },
  openapiKeyUpdate: { permission: UPDATE_KEYS, orgScoped: true, body: () => ({ name: uniqueName('patched') }) },
  openapiKeyDelete: { permission: DELETE_KEYS, orgScoped: true },
  organizationRolesGetList: { permission: VIEW, orgScoped: true },
  organizationRolePost: {
    permission: MANAGE,
    orgScoped: true,
    body: () => ({ name: uniqueName('matrix role'), actors: [], policies: [{ allowDeny: 'ALLOW', permissions: [VIEW], resources: ['*'] }] }),
  },
  organizationRoleGet: { permission: VIEW, orgScoped: true },
  organizationRolePatch: { permission: MANAGE, orgScoped: true, body: () => ({ name: uniqueName('patched role') }) },
  organizationRoleDelete: { permission: MANAGE, orgScoped: true },
  organizationPrivateEndpointConfigGetList: { permission: VIEW, orgScoped: true, query: '?cloud_provider=aws&region_id=us-east-1' },
  memberGetList: { permission: VIEW, orgScoped: true },
  memberGet: { permission: VIEW, orgScoped: true },
  memberUpdate: { permission: MANAGE, orgScoped: true, body: () => ({ role: 'developer' }) },
  memberDelete: { permission: MANAGE, orgScoped: true },
  invitationGetList: { permission: VIEW, orgScoped: true },
  invitationCreate: { permission: MANAGE, orgScoped: true, body: () => ({ email: `matrix-${randomUUID()}@example.com` }) },
  invitationGet: { permission: VIEW, orgScoped: true },
  invitationDelete: { permission: MANAGE, orgScoped: true },
  organizationByocInfrastructureCreate: { permission: MANAGE, orgScoped: true, body: () => ({ regionId: 'us-east-1', accountId: uniqueAwsAccount() }) },
  organizationByocInfrastructureUpdate: { permission: MANAGE, orgScoped: true, body: () => ({ displayName: uniqueName('byoc') }) },
  organizationByocInfrastructureDelete: { permission: MANAGE, orgScoped: true },
  organizationQuotasGetList: { permission: VIEW, orgScoped: true },
  organizationQuotaGet: { permission: VIEW, orgScoped: true },
  usageCostGet: { permission: VIEW_BILLING, orgScoped: true, query: '?from_date=2026-01-01&to_date=2026-01-31' },
  organizationPrometheusGet: { permission: VIEW, orgScoped: true },
};

let accountCounter = 0;
/** A 12-digit AWS account ID no earlier request of this run used. */
const uniqueAwsAccount = (): string => String(100_000_000_000 + accountCounter++);

/**
 * A BYOC infrastructure of the test organization that is not terminated: the
 * one made before while it lasts (a granted DELETE terminates it), so that the
 * cells stay under the organization's bound of 20.
 */
async function liveByocInfrastructure(ctx: MatrixContext): Promise<string> {
  const org = await request(ctx.server, 'GET', `/v1/organizations/${ctx.server.organizationId}`, { auth: ctx.server.admin });
  assert.equal(org.status, 200, org.text);
  const live = org.body.result.byocConfig.find((b: any) => b.state !== 'infra-terminated');
  if (live) return live.id as string;
  const res = await request(ctx.server, 'POST', `/v1/organizations/${ctx.server.organizationId}/byocInfrastructure`, {
    auth: ctx.server.admin,
    body: { regionId: 'eu-west-1', accountId: uniqueAwsAccount() },
  });
  assert.equal(res.status, 200, res.text);
  return res.body.result.id as string;
}

/** Creates a custom role through the API with the server's admin key and returns its ID. */
export async function createCustomRole(server: TestServer, policies: unknown[], name = uniqueName('matrix target role')): Promise<string> {
  const res = await request(server, 'POST', `/v1/organizations/${server.organizationId}/roles`, { auth: server.admin, body: { name, actors: [], policies } });
  assert.equal(res.status, 200, res.text);
  return res.body.result.id;
}

/**
 * A value for each path parameter: the test organization, one of its
 * activities, a fresh key of it and a fresh custom role of it (one per
 * request: a DELETE consumes it).
 */
export const PATH_PARAMETERS: Record<string, (ctx: MatrixContext) => Promise<string> | string> = {
  organizationId: (ctx) => ctx.server.organizationId,
  activityId: (ctx) => ctx.activityId,
  keyId: async (ctx) => (await createApiKey(ctx.server)).id,
  roleId: (ctx) => createCustomRole(ctx.server, [{ allowDeny: 'ALLOW', permissions: [VIEW], resources: ['*'] }]),
  userId: async (ctx) =>
    (await addMember(ctx.server.domain, ctx.server.organizationId, { email: `member-${randomUUID()}@example.com` }, { actor: systemActor('members add') })).userId,
  byocInfrastructureId: liveByocInfrastructure,
  quotaCode: () => 'services-per-organization',
  invitationId: async (ctx) => {
    const res = await request(ctx.server, 'POST', `/v1/organizations/${ctx.server.organizationId}/invitations`, { auth: ctx.server.admin, body: { email: `invitee-${randomUUID()}@example.com` } });
    assert.equal(res.status, 200, res.text);
    return res.body.result.id as string;
  },
};

/** The concrete path (and query) for one request to the operation. */
export async function concretePath(op: Operation, expectation: Expectation, ctx: MatrixContext): Promise<string> {
  let path = op.path;
  for (const [, name] of op.path.matchAll(/\{(\w+)\}/g)) {
    const value = PATH_PARAMETERS[name!];
    if (!value) throw new Error(`${operationName(op)}: no value for the path parameter {${name}} in PATH_PARAMETERS (test/helpers/access-matrix.ts)`);
    path = path.replace(`{${name}}`, await value(ctx));
  }
  return `${path}${expectation.query ?? ''}`;
}

/** The expected outcome of one cell: the status and, for a 403, the exact error. */
export interface ExpectedOutcome {
  status: number;
  error?: string;
}

export const FOREIGN_ORGANIZATION_ERROR = 'This API key has no access to the requested organization';
export const permissionError = (permission: string): string => `This API key's roles do not grant the permission '${permission}'`;

/** The expected outcome for one cell, from what the caller is and what the operation needs. */
export function expectedOutcome(expectation: Expectation, caller: Caller): ExpectedOutcome {
  const kind = CALLER_KINDS[caller];
  switch (kind.kind) {
    case 'unauthenticated':
      return { status: 401 };
    case 'key':
      // A foreign key may list its own organizations, never reach this one.
      if (kind.foreign && expectation.orgScoped) return { status: 403, error: FOREIGN_ORGANIZATION_ERROR };
      if (!kind.grants.includes(expectation.permission)) return { status: 403, error: permissionError(expectation.permission) };
      return { status: expectation.successStatus ?? 200 };
  }
}

const basicAuth = (keyId: string, secret: string) => `Basic ${Buffer.from(`${keyId}:${secret}`).toString('base64')}`;

/** The IDs of the organization's system roles by name, from GET …/roles. */
export async function systemRoleIds(server: TestServer): Promise<Record<string, string>> {
  const res = await request(server, 'GET', `/v1/organizations/${server.organizationId}/roles`, { auth: server.admin });
  assert.equal(res.status, 200, res.text);
  return Object.fromEntries(res.body.result.filter((r: any) => r.type === 'system').map((r: any) => [r.name, r.id]));
}

/** The Authorization header each kind of caller sends (undefined: none). Its keys are created through the API with the admin key. */
export async function callerCredentials(server: TestServer, roles: Record<string, string>): Promise<Record<Caller, string | undefined>> {
  const role = (name: string): string => {
    const id = roles[name];
    assert.ok(id, `no system role named '${name}' in GET …/roles`);
    return id;
  };
  const withRoles = (assignedRoleIds: string[], name: string) => createApiKey(server, { name, roles: undefined, assignedRoleIds });
  const partialRole = await createCustomRole(server, [{ allowDeny: 'ALLOW', permissions: [VIEW, VIEW_KEYS], resources: ['*'] }], 'matrix partial');
  const denyRole = await createCustomRole(server, [{ allowDeny: 'DENY', permissions: [MANAGE, DELETE_KEYS], resources: ['*'] }], 'matrix deny');
  const keys = {
    developer: await createApiKey(server, { roles: ['developer'] }),
    queryEndpoints: await createApiKey(server, { roles: ['query_endpoints'] }),
    ipOutside: await createApiKey(server, { ipAccessList: [{ source: '10.0.0.0/8', description: 'not loopback' }] }),
    disabled: await createApiKey(server, { state: 'disabled' }),
    expired: await createApiKey(server),
    customPartial: await withRoles([partialRole], 'custom partial'),
    customDeny: await withRoles([role('Admin'), denyRole], 'custom deny'),
    noRoles: await withRoles([], 'no roles'),
    memberRole: await withRoles([role('Member')], 'member'),
    billing: await withRoles([role('Billing')], 'billing'),
    orgApiReader: await withRoles([role('Org API reader')], 'org api reader'),
  };
  await expireKeyInDatabase(server, keys.expired.id);
  await waitForKeyCache();
  const other = await server.bootstrap(`other ${randomUUID()}`, 'admin');
  const auth = (key: { keyId: string; keySecret: string }) => basicAuth(key.keyId, key.keySecret);
  return {
    none: undefined,
    malformed: 'Bearer not-basic',
    unknownKey: basicAuth('AAAAAAAAAAAAAAAAAAAA', 'secret'),
    wrongSecret: basicAuth(server.admin.keyId, `${server.admin.keySecret}x`),
    disabled: auth(keys.disabled),
    expired: auth(keys.expired),
    otherOrg: auth(other),
    developer: auth(keys.developer),
    queryEndpoints: auth(keys.queryEndpoints),
    ipOutside: auth(keys.ipOutside),
    admin: auth(server.admin),
    customPartial: auth(keys.customPartial),
    customDeny: auth(keys.customDeny),
    noRoles: auth(keys.noRoles),
    memberRole: auth(keys.memberRole),
    billing: auth(keys.billing),
    orgApiReader: auth(keys.orgApiReader),
  };
}
