import type { Actor } from './actor.js';
import { forbidden } from './errors.js';
import type { OrganizationPermission } from '../vocabulary/permissions.js';
import { firstUngranted, type PolicyRule } from './roles/policy.js';

/** The authenticated caller: an API key's identity and what its roles let it do, never its credential. */
export interface Principal {
  /** The key's UUID (the `id` of ApiKey), not the key ID credential. */
  apiKeyId: string;
  keyName: string;
  keySuffix: string;
  organizationId: string;
  /** The organization-level permissions its roles give it on its organization (DENY already applied). */
  permissions: ReadonlySet<string>;
  /** Every policy of every role it holds: what it may pass on to others (see assertGrantable). */
  policies: readonly PolicyRule[];
  /** The key's expiry (ISO-8601), checked again by each change it makes. */
  expireAt: string | null;
  /** Its organization's access_version when the key was read: what a change compares (keys/key-standing.ts). */
  accessVersion: number;
}

/** Who asks for a change: the actor recorded on its activities, and the API key behind it (none for the operator's commands). */
export interface Initiator {
  actor: Actor;
  principal?: Principal;
  /** The permission the request was authorized for: re-checked inside the change (keys/key-standing.ts). */
  permission?: OrganizationPermission;
}

/**
 * Authorization for organization-scoped operations. Any organization other
 * than the key's own is refused with the same 403 whether it exists or not,
 * so the API is no existence oracle. `organizationId` is already normalised
 * (lower case); undefined for routes of the caller's own organization.
 */
export function authorize(principal: Principal, organizationId: string | undefined, permission: OrganizationPermission): void {
  if (organizationId !== undefined && organizationId !== principal.organizationId) {
    throw forbidden('This API key has no access to the requested organization');
  }
  requirePermission(principal.permissions, permission);
}

export function requirePermission(permissions: ReadonlySet<string>, permission: OrganizationPermission): void {
  if (!permissions.has(permission)) throw forbidden(`This API key's roles do not grant the permission '${permission}'`);
}

/**
 * The no-escalation rule: an API key may create, widen or hand out a role only
 * when it holds everything the role allows itself. The operator (no
 * principal) may do anything.
 */
export function assertGrantable(by: Initiator, policies: readonly PolicyRule[], what: string): void {
  if (!by.principal) return;
  const missing = firstUngranted(by.principal.policies, policies);
  if (missing) {
    throw forbidden(`${what} would grant '${missing.permission}' on '${missing.resource}', which this API key does not hold itself`);
  }
}

/**
 * The same rule for taking a DENY away (removing a DENY policy, a role that
 * has one, or a holder from it): that hands back what it denied, so only a
 * key holding all of it itself may.
 */
export function assertLiftable(by: Initiator, policies: readonly PolicyRule[], what: string): void {
  if (!by.principal) return;
  const lifted = policies.filter((p) => p.allowDeny === 'DENY').map((p) => ({ ...p, allowDeny: 'ALLOW' as const }));
  const missing = firstUngranted(by.principal.policies, lifted);
  if (missing) {
    throw forbidden(`${what} would lift the DENY of '${missing.permission}' on '${missing.resource}', which this API key does not hold itself`);
  }
}

/**
 * The mirror of the no-escalation rule: taking a permission away from a
 * principal (withdrawing an ALLOW it holds through a role, imposing a DENY on
 * it, or stopping the key that holds it) is for a key that holds that
 * permission itself, with no overlapping DENY. `rules` are what is taken away:
 * the ALLOW policies withdrawn and the DENY policies imposed, both read as the
 * permissions they name. The operator (no principal) may do anything.
 */
export function assertRemovable(by: Initiator, rules: readonly PolicyRule[], what: string): void {
  if (!by.principal) return;
  const named = rules.map((p) => ({ ...p, allowDeny: 'ALLOW' as const }));
  const missing = firstUngranted(by.principal.policies, named);
  if (missing) {
    throw forbidden(`${what} would take away '${missing.permission}' on '${missing.resource}', which this API key does not hold itself`);
  }
}

const allows = (policies: readonly PolicyRule[]): PolicyRule[] => policies.filter((p) => p.allowDeny === 'ALLOW');
const denies = (policies: readonly PolicyRule[]): PolicyRule[] => policies.filter((p) => p.allowDeny === 'DENY');

/** Giving a role to a holder: it gains what the role ALLOWs and loses what the role DENYs. */
export function assertAssignable(by: Initiator, policies: readonly PolicyRule[], what: string): void {
  assertGrantable(by, policies, what);
  assertRemovable(by, denies(policies), what);
}

/** Taking a role from a holder: it loses what the role ALLOWs and gets back what the role DENYs. */
export function assertUnassignable(by: Initiator, policies: readonly PolicyRule[], what: string): void {
  assertRemovable(by, allows(policies), what);
  assertLiftable(by, policies, what);
}
