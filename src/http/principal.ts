import type { Actor } from '../domain/actor.js';
import type { KeyRole } from '../domain/keys/roles.js';
import { ApiError } from './errors.js';

/** The authenticated caller: an API key's identity, never its credential. */
export interface Principal {
  /** The key's UUID (the `id` of ApiKey), not the key ID credential. */
  apiKeyId: string;
  keyName: string;
  keySuffix: string;
  organizationId: string;
  roles: KeyRole[];
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export type Access = 'read' | 'admin';

/**
 * Authorization for organization-scoped routes. Any organization other than the
 * key's own is refused with the same 403 whether it exists or not, so the API
 * is no existence oracle.
 */
export function requireAccess(principal: Principal | undefined, organizationId: string | undefined, access: Access): Principal {
  if (!principal) throw new ApiError('INTERNAL', 'route reached without authentication');
  const canRead = principal.roles.includes('admin') || principal.roles.includes('developer');
  if (!canRead) throw new ApiError('FORBIDDEN', 'This API key has no access to the organization API (query_endpoints role only)');
  if (organizationId !== undefined && organizationId.toLowerCase() !== principal.organizationId) {
    throw new ApiError('FORBIDDEN', 'This API key has no access to the requested organization');
  }
  if (access === 'admin' && !principal.roles.includes('admin')) {
    throw new ApiError('FORBIDDEN', 'This operation requires an API key with the admin role');
  }
  return principal;
}

export function actorOf(principal: Principal, ip: string, userAgent: string | undefined): Actor {
  const actor: Actor = { type: 'api', id: principal.apiKeyId, details: `API key "${principal.keyName}"`, ipAddress: ip };
  if (userAgent) actor.userAgent = userAgent;
  return actor;
}
