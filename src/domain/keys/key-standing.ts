import type { Executor } from '../../db/executor.js';
import { requirePermission, type Initiator } from '../access.js';
import { unauthorized } from '../errors.js';
import { keyActor } from '../roles/role-actors.js';
import { policiesOfRow } from '../roles/role.service.js';
import { permissionsOn } from '../roles/policy.js';
import { findKeyStanding } from './key.repository.js';

/**
 * Re-checks, inside a change's transaction and under its organization's lock,
 * that the API key asking for it still exists, is enabled and unexpired, and
 * that its roles still grant the permission its request was authorized for.
 * The request was authorized from a verified key up to a second old, before it
 * waited for the lock: without this, two admin keys deleting each other at the
 * same time both succeed. Every change of keys and roles takes the same lock,
 * so what is read here holds until the commit. The principal is refreshed
 * with what was read, so the change's no-escalation checks use the key's
 * current roles too. Changes asked for by the operator (no principal) pass.
 */
export async function confirmStanding(db: Executor, now: Date, organizationId: string, by: Initiator): Promise<void> {
  const principal = by.principal;
  if (!principal) return;
  const rows = await findKeyStanding(db, organizationId, principal.apiKeyId, keyActor(principal.apiKeyId));
  const key = rows[0];
  if (!key || key.state !== 'enabled' || (key.expire_at !== null && Date.parse(key.expire_at) <= now.getTime())) throw unauthorized();
  const policies = rows.flatMap((r) => (r.role_id === null ? [] : policiesOfRow(organizationId, r.role_id, r.policies)));
  const permissions = permissionsOn(policies, `organization/${organizationId}`);
  if (by.permission !== undefined) requirePermission(permissions, by.permission);
  by.principal = { ...principal, permissions, policies };
}
