import type { Executor } from '../../db/executor.js';
import { requirePermission, type Initiator } from '../access.js';
import { unauthorized } from '../errors.js';
import type { OrganizationRow } from '../organizations/organization.table.js';
import { keyActor } from '../roles/actor-ids.js';
import { policiesOfRow } from '../roles/system-roles.js';
import { permissionsOn } from '../roles/policy.js';
import { hasExpired } from './key-verification.js';
import { findKeyStanding } from './key.repository.js';

/**
 * Confirms, inside a change's transaction and under its organization's lock,
 * that the API key asking for it still exists, is enabled and unexpired, and
 * that its roles still grant the permission its request was authorized for.
 * The request was authorized from a verified key up to a second old, before it
 * waited for the lock: without this, two admin keys deleting each other at the
 * same time both succeed. Every change of keys and roles takes the same lock
 * and bumps the organization's access_version, so when the locked row still
 * has the version the key was read at, nothing the key may do has changed and
 * only its expiry needs checking (no statement); otherwise the key and its
 * roles are read again here, and what was read holds until the commit. The
 * principal is refreshed with it, so the change's no-escalation checks use the
 * key's current roles too. Changes asked for by the operator (no principal) pass.
 */
export async function confirmStanding(db: Executor, now: Date, locked: Pick<OrganizationRow, 'id' | 'access_version'>, by: Initiator): Promise<void> {
  const principal = by.principal;
  if (!principal) return;
  if (principal.accessVersion === Number(locked.access_version)) {
    if (hasExpired(principal.expireAt, now)) throw unauthorized();
    return;
  }
  const rows = await findKeyStanding(db, locked.id, principal.apiKeyId, keyActor(principal.apiKeyId));
  const key = rows[0];
  if (!key || key.state !== 'enabled' || hasExpired(key.expire_at, now)) throw unauthorized();
  const policies = rows.flatMap((r) => (r.role_id === null ? [] : policiesOfRow(locked.id, r.role_id, r.policies)));
  const permissions = permissionsOn(policies, `organization/${locked.id}`);
  if (by.permission !== undefined) requirePermission(permissions, by.permission);
  by.principal = { ...principal, permissions, policies, expireAt: key.expire_at, accessVersion: Number(locked.access_version) };
}
