import type { Initiator } from '../access.js';
import { badRequest } from '../errors.js';
import type { OrganizationChange } from '../organizations/organization-change.js';
import { ORGANIZATION_PERMISSIONS } from '../../vocabulary/permissions.js';
import { firstUngranted, type PolicyRule } from '../roles/policy.js';
import { findEnabledKeysWithRoles } from '../roles/role.repository.js';
import { policiesOfRow } from '../roles/system-roles.js';
import { hasExpired } from './key-verification.js';

/** The organization's working Admin keys, and those of them that never expire. */
interface AdminKeys {
  working: Set<string>;
  lasting: Set<string>;
}

/**
 * The working Admin keys of an organization: enabled, unexpired keys whose
 * roles grant every organization permission on the organization with no DENY
 * overlapping any of them. Read in the change's transaction (three joined
 * tables, scoped to the organization), so under its lock what it reads holds
 * until the commit. `unreachable` are keys that do not count whatever their roles.
 */
async function adminKeys(change: OrganizationChange, now: Date, unreachable: ReadonlySet<string>): Promise<AdminKeys> {
  const rows = await findEnabledKeysWithRoles(change.trx, change.organizationId);
  const keys = new Map<string, { expireAt: string | null; policies: PolicyRule[] }>();
  for (const row of rows) {
    const key = keys.get(row.id) ?? { expireAt: row.expire_at, policies: [] };
    if (row.role_id !== null) key.policies.push(...policiesOfRow(change.organizationId, row.role_id, row.policies));
    keys.set(row.id, key);
  }
  const everything: PolicyRule[] = [{ allowDeny: 'ALLOW', permissions: [...ORGANIZATION_PERMISSIONS], resources: [`organization/${change.organizationId}`] }];
  const result: AdminKeys = { working: new Set(), lasting: new Set() };
  for (const [id, key] of keys) {
    if (unreachable.has(id) || hasExpired(key.expireAt, now) || firstUngranted(key.policies, everything)) continue;
    result.working.add(id);
    if (key.expireAt === null) result.lasting.add(id);
  }
  return result;
}

export interface AdminKeyGuard {
  /** The request's fields that made the change, named in the refusal (`Invalid field 'state': …`); none for a deletion. */
  fields: string[];
  /** A key whose new IP allow list excludes the address of the request setting it: it no longer counts. */
  unreachable?: string;
}

const WORKING = 'an enabled, unexpired API key holding every organization permission with no DENY';

/**
 * The organization keeps a working Admin key, as it keeps its last Admin
 * member: runs `apply` (part of a change that can take access away from keys)
 * and refuses (400, the transaction rolls back) when it leaves no working
 * Admin key where there was one, or no such key without an expiry where there
 * was one (an expiry on the last one means it will stop working). Checked
 * after the change is applied, under the organization's lock, so concurrent
 * changes on any number of instances cannot each take one of the last two.
 * Whoever asks, an Admin key included; the operator's commands (no principal)
 * are not held to it: they are the way back in, and may deliberately revoke
 * every key of a compromised organization.
 */
export async function keepingAdminKey<T>(change: OrganizationChange, by: Initiator, now: Date, guard: AdminKeyGuard, apply: () => Promise<T>): Promise<T> {
  if (!by.principal) return apply();
  const before = await adminKeys(change, now, new Set());
  if (before.working.size === 0) return apply();
  const result = await apply();
  const after = await adminKeys(change, now, new Set(guard.unreachable === undefined ? [] : [guard.unreachable]));
  const named = guard.fields.map((f) => `'${f}'`).join(', ');
  const prefix = guard.fields.length === 0 ? 'This change' : `Invalid field${guard.fields.length > 1 ? 's' : ''} ${named}: this change`;
  if (after.working.size === 0) {
    const why = guard.unreachable !== undefined && before.working.has(guard.unreachable) ? ` (the new IP allow list excludes the address of this very request)` : '';
    throw badRequest(`${prefix} would leave the organization without a working Admin key (${WORKING})${why}: give another key the Admin role first`);
  }
  if (before.lasting.size > 0 && after.lasting.size === 0) {
    throw badRequest(`${prefix} would leave the organization without a working Admin key that never expires (${WORKING} and no expiry): give another key the Admin role first`);
  }
  return result;
}
