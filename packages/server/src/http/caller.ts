import type { Actor } from '../domain/actor.js';
import type { Initiator, Principal } from '../domain/access.js';
import type { OrganizationPermission } from '../vocabulary/permissions.js';
import { codePointPrefix, MAX_ADDRESS_LENGTH, MAX_USER_AGENT_LENGTH } from '../vocabulary/text.js';

/** Who is calling, built once per request by the access hook (access-hook.ts) and handed to the handler (and on to the services). */
export interface Caller extends Initiator {
  principal: Principal;
  /** The caller as recorded on the activities it causes. */
  actor: Actor;
}

/** What a route declares in its `config`; the hooks read it, the OpenAPI document too. */
export interface RouteAccess {
  /**
   * The permission the caller's roles must grant; 'public' routes (health, the document, docs) take no
   * credentials; 'controls' routes (the emulator's) take the controls token, never an API key.
   */
  access: OrganizationPermission | 'public' | 'controls';
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
    /** The route as the OpenAPI document writes it (`{param}`), for the log. */
    openApiUrl?: string;
  }
}

/**
 * The actor of a request's activities. What the caller's headers supply is
 * stored bounded (see MAX_USER_AGENT_LENGTH, MAX_ADDRESS_LENGTH), so that a
 * page of activities takes bounded memory: an over-long User-Agent is cut,
 * and an over-long address loses its IPv6 zone ID.
 */
export function actorOf(principal: Principal, ip: string, userAgent: string | undefined): Actor {
  const actor: Actor = { type: 'api', id: principal.apiKeyId, details: `API key "${principal.keyName}"`, ipAddress: boundedAddress(ip) };
  if (userAgent) actor.userAgent = codePointPrefix(userAgent, MAX_USER_AGENT_LENGTH);
  return actor;
}

function boundedAddress(ip: string): string {
  if (ip.length <= MAX_ADDRESS_LENGTH) return ip;
  const zone = ip.indexOf('%');
  return codePointPrefix(zone === -1 ? ip : ip.slice(0, zone), MAX_ADDRESS_LENGTH);
}
