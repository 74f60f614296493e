import { randomUUID } from 'node:crypto';
import type { TestServer } from './server.js';
import { waitForKeyCache } from './key-cache.js';
import { createApiKey, expireKeyInDatabase } from './keys.js';

/**
 * The access matrix: every route × every kind of caller → the exact status.
 * One table; the test file generates one test per cell from it.
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

export interface RouteCase {
  name: string;
  method: string;
  /** Builds the path (and any target it needs, e.g. a key to delete) for one request. */
  path: (ctx: MatrixContext) => Promise<string> | string;
  body?: (ctx: MatrixContext) => unknown;
  /** Needs admin (mutations and key management); otherwise developer keys may call it. */
  adminOnly: boolean;
  /** Whether the path names an organization (a foreign key then gets 403, not its own data). */
  orgScoped: boolean;
}

export interface MatrixContext {
  server: TestServer;
  activityId: string;
}

let nameCounter = 0;
const orgPath = (ctx: MatrixContext) => `/v1/organizations/${ctx.server.organizationId}`;

export const ROUTES: RouteCase[] = [
  { name: 'GET /v1/organizations', method: 'GET', path: () => '/v1/organizations', adminOnly: false, orgScoped: false },
  { name: 'GET /v1/organizations/{id}', method: 'GET', path: orgPath, adminOnly: false, orgScoped: true },
  { name: 'PATCH /v1/organizations/{id}', method: 'PATCH', path: orgPath, body: () => ({ name: `renamed ${nameCounter++}` }), adminOnly: true, orgScoped: true },
  { name: 'GET …/activities', method: 'GET', path: (ctx) => `${orgPath(ctx)}/activities`, adminOnly: false, orgScoped: true },
  { name: 'GET …/activities/{id}', method: 'GET', path: (ctx) => `${orgPath(ctx)}/activities/${ctx.activityId}`, adminOnly: false, orgScoped: true },
  { name: 'GET …/keys', method: 'GET', path: (ctx) => `${orgPath(ctx)}/keys`, adminOnly: true, orgScoped: true },
  { name: 'POST …/keys', method: 'POST', path: (ctx) => `${orgPath(ctx)}/keys`, body: () => ({ name: 'matrix', roles: ['developer'] }), adminOnly: true, orgScoped: true },
  { name: 'GET …/keys/{id}', method: 'GET', path: async (ctx) => `${orgPath(ctx)}/keys/${(await createApiKey(ctx.server)).id}`, adminOnly: true, orgScoped: true },
  { name: 'PATCH …/keys/{id}', method: 'PATCH', path: async (ctx) => `${orgPath(ctx)}/keys/${(await createApiKey(ctx.server)).id}`, body: () => ({ name: 'patched' }), adminOnly: true, orgScoped: true },
  { name: 'DELETE …/keys/{id}', method: 'DELETE', path: async (ctx) => `${orgPath(ctx)}/keys/${(await createApiKey(ctx.server)).id}`, adminOnly: true, orgScoped: true },
];

/** The expected status for one cell. */
export function expectedStatus(route: RouteCase, caller: Caller): number {
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
      return route.orgScoped ? 403 : 200;
    case 'developer':
      return route.adminOnly ? 403 : 200;
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
