import type { Actor } from '../domain/actor.js';
import type { Initiator, Principal } from '../domain/access.js';
import type { OrganizationPermission } from '../domain/roles/permissions.js';

/** Who is calling, built once per request by the access hook (access-hook.ts) and handed to the handler (and on to the services). */
export interface Caller extends Initiator {
  principal: Principal;
  /** The caller as recorded on the activities it causes. */
  actor: Actor;
}

/** What a route declares in its `config`; the hooks read it, the OpenAPI document too. */
export interface RouteAccess {
  /** The permission the caller's roles must grant; 'public' routes (health, the document, docs) take no credentials. */
  access: OrganizationPermission | 'public';
  /** Path parameters that are IDs: normalised to lower case before the handler sees them. */
  idParams: string[];
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
    caller?: Caller;
  }
  interface FastifyContextConfig {
    access?: RouteAccess['access'];
    idParams?: string[];
    conflicts?: boolean;
    /** Set on the 405 answers synthesised for a path's other methods. */
    synthesized?: boolean;
  }
}

export function actorOf(principal: Principal, ip: string, userAgent: string | undefined): Actor {
  const actor: Actor = { type: 'api', id: principal.apiKeyId, details: `API key "${principal.keyName}"`, ipAddress: ip };
  if (userAgent) actor.userAgent = userAgent;
  return actor;
}
