import type { KeyRole } from './keys/roles.js';
import { forbidden } from './errors.js';

/** The authenticated caller: an API key's identity, never its credential. */
export interface Principal {
  /** The key's UUID (the `id` of ApiKey), not the key ID credential. */
  apiKeyId: string;
  keyName: string;
  keySuffix: string;
  organizationId: string;
  roles: KeyRole[];
}

/** What a route needs of its caller: to read the organization, or to administer it. */
export type Access = 'read' | 'admin';

/**
 * Authorization for organization-scoped operations. Any organization other
 * than the key's own is refused with the same 403 whether it exists or not,
 * so the API is no existence oracle. `organizationId` is already normalised
 * (lower case); undefined for routes of the caller's own organization.
 */
export function authorize(principal: Principal, organizationId: string | undefined, access: Access): void {
  const canRead = principal.roles.includes('admin') || principal.roles.includes('developer');
  if (!canRead) throw forbidden('This API key has no access to the organization API (query_endpoints role only)');
  if (organizationId !== undefined && organizationId !== principal.organizationId) {
    throw forbidden('This API key has no access to the requested organization');
  }
  if (access === 'admin' && !principal.roles.includes('admin')) {
    throw forbidden('This operation requires an API key with the admin role');
  }
}
