import { randomUUID } from 'node:crypto';
import { systemActor } from '../../src/domain/actor.js';
import { addMember } from '../../src/domain/members/member.service.js';
import { waitForKeyCache } from './key-cache.js';
import { createApiKey, expireKeyInDatabase } from './keys.js';
import { request, startTestServer, type TestServer } from './server.js';

/**
 * The access matrix: every /v1 operation of the app × every kind of caller →
 * the exact status. The operations come from the app itself (its OpenAPI
 * document at GET /v1); the expectations are this file's table, keyed by
 * operationId. The test file generates one test per cell, and fails when the
 * app has an operation the table lacks, or the table one the app lacks.
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
] as const;
export type Caller = (typeof CALLERS)[number];

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
}

/** What the table says about one operation. */
export interface Expectation {
  /** Needs admin (mutations and key management); otherwise developer keys may call it. */
  adminOnly: boolean;
  /** Whether the path names an organization (a foreign key then gets 403, not its own data). */
  orgScoped: boolean;
  /** The request body, for operations that take one. */
  body?: (ctx: MatrixContext) => unknown;
  /** The query string (without '?'), for operations that require one; appended to the path. */
  query?: string;
}

let nameCounter = 0;

/** The expectations, by operationId. */
export const EXPECTATIONS: Record<string, Expectation> = {
  organizationGetList: { adminOnly: false, orgScoped: false },
  organizationGet: { adminOnly: false, orgScoped: true },
  organizationUpdate: { adminOnly: true, orgScoped: true, body: () => ({ name: `renamed ${nameCounter++}` }) },
  organizationPrivateEndpointConfigGetList: { adminOnly: false, orgScoped: true, query: 'cloud_provider=aws&region_id=us-east-1' },
  activityGetList: { adminOnly: false, orgScoped: true },
  activityGet: { adminOnly: false, orgScoped: true },
  openapiKeyGetList: { adminOnly: true, orgScoped: true },
  openapiKeyCreate: { adminOnly: true, orgScoped: true, body: () => ({ name: 'matrix', roles: ['developer'] }) },
  openapiKeyGet: { adminOnly: true, orgScoped: true },
  openapiKeyUpdate: { adminOnly: true, orgScoped: true, body: () => ({ name: 'patched' }) },
  openapiKeyDelete: { adminOnly: true, orgScoped: true },
  memberGetList: { adminOnly: false, orgScoped: true },
  memberGet: { adminOnly: false, orgScoped: true },
  memberUpdate: { adminOnly: true, orgScoped: true, body: () => ({ role: 'developer' }) },
  memberDelete: { adminOnly: true, orgScoped: true },
  invitationGetList: { adminOnly: false, orgScoped: true },
  invitationCreate: { adminOnly: true, orgScoped: true, body: () => ({ email: `matrix-${nameCounter++}@example.com` }) },
  invitationGet: { adminOnly: false, orgScoped: true },
  invitationDelete: { adminOnly: true, orgScoped: true },
};

/** A value for each path parameter: the test organization, one of its activities, a fresh key of it (one per request: a DELETE consumes it). */
export const PATH_PARAMETERS: Record<string, (ctx: MatrixContext) => Promise<string> | string> = {
  organizationId: (ctx) => ctx.server.organizationId,
  activityId: (ctx) => ctx.activityId,
  keyId: async (ctx) => (await createApiKey(ctx.server)).id,
  // A fresh member (the Member system role, so removing it is allowed) and a fresh invitation, one per request.
  userId: async (ctx) =>
    (await addMember(ctx.server.domain, ctx.server.organizationId, { email: `member-${randomUUID()}@example.com` }, { actor: systemActor('members add') })).userId,
  invitationId: async (ctx) => {
    const res = await request(ctx.server, 'POST', `/v1/organizations/${ctx.server.organizationId}/invitations`, { auth: ctx.server.admin, body: { email: `invitee-${randomUUID()}@example.com` } });
    if (res.status !== 200) throw new Error(`creating an invitation answered ${res.status}: ${res.text}`);
    return res.body.result.id as string;
  },
};

/** The concrete path for one request to the operation. */
export async function concretePath(op: Operation, ctx: MatrixContext): Promise<string> {
  let path = op.path;
  for (const [, name] of op.path.matchAll(/\{(\w+)\}/g)) {
    const value = PATH_PARAMETERS[name!];
    if (!value) throw new Error(`${operationName(op)}: no value for the path parameter {${name}} in PATH_PARAMETERS (test/helpers/access-matrix.ts)`);
    path = path.replace(`{${name}}`, await value(ctx));
  }
  return path;
}

/** The expected status for one cell. */
export function expectedStatus(expectation: Expectation, caller: Caller): number {
  switch (caller) {
    case 'none':
    case 'malformed':
    case 'unknownKey':
    case 'wrongSecret':
    case 'disabled':
    case 'expired':
      return 401;
    case 'ipOutside':
    case 'queryEndpoints':
      return 403;
    case 'otherOrg':
      // A foreign key may list its own organizations, never reach this one.
      return expectation.orgScoped ? 403 : 200;
    case 'developer':
      return expectation.adminOnly ? 403 : 200;
    case 'admin':
      return 200;
  }
}

/** The Authorization header each kind of caller sends (undefined: none). */
export async function callerCredentials(server: TestServer): Promise<Record<Caller, string | undefined>> {
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
  const developer = await createApiKey(server, { roles: ['developer'] });
  const queryEndpoints = await createApiKey(server, { roles: ['query_endpoints'] });
  const ipOutside = await createApiKey(server, { ipAccessList: [{ source: '10.0.0.0/8', description: 'not loopback' }] });
  const disabled = await createApiKey(server, { state: 'disabled' });
  const expired = await createApiKey(server);
  await expireKeyInDatabase(server, expired.id);
  await waitForKeyCache();
  const other = await server.bootstrap(`other ${randomUUID()}`, 'admin');
  return {
    none: undefined,
    malformed: 'Bearer not-basic',
    unknownKey: basic('AAAAAAAAAAAAAAAAAAAA', 'secret'),
    wrongSecret: basic(server.admin.keyId, `${server.admin.keySecret}x`),
    disabled: basic(disabled.keyId, disabled.keySecret),
    expired: basic(expired.keyId, expired.keySecret),
    otherOrg: basic(other.keyId, other.keySecret),
    developer: basic(developer.keyId, developer.keySecret),
    queryEndpoints: basic(queryEndpoints.keyId, queryEndpoints.keySecret),
    ipOutside: basic(ipOutside.keyId, ipOutside.keySecret),
    admin: basic(server.admin.keyId, server.admin.keySecret),
  };
}
