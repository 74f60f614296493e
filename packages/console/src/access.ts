import type { OrgplaneClient } from '@orgplane/client';
import type { Session } from './session.js';

export type Permission =
  | 'control-plane:organization:view'
  | 'control-plane:organization:manage'
  | 'control-plane:organization:view-billing'
  | 'control-plane:organization:view-api-keys'
  | 'control-plane:organization:create-api-keys'
  | 'control-plane:organization:update-api-keys'
  | 'control-plane:organization:delete-api-keys';

/**
 * What the signed-in key may do, read from the API as any client could: its own
 * key record (by its suffix) and the roles that name it as an actor. A key that
 * may not read keys or roles cannot learn its permissions, so the console then
 * offers no changes (the API decides every call either way).
 */
export interface Access {
  known: boolean;
  /** The key's own UUID, when the console could find it (the key in use cannot delete itself). */
  keyUuid?: string;
  can(permission: Permission): boolean;
  /** Why an action is unavailable, for its disabled control. */
  reason(permission: Permission): string;
}

export async function loadAccess(client: OrgplaneClient, session: Session): Promise<Access> {
  const path = { params: { path: { organizationId: session.organizationId } } };
  try {
    const keys = (await client.GET('/v1/organizations/{organizationId}/keys', path)).data!.result;
    const mine = keys.filter((key) => key.keySuffix === session.keyId.slice(-4));
    if (mine.length !== 1) return unknownAccess('the console could not tell this key from another with the same suffix');
    const key = mine[0]!;
    const roles = (await client.GET('/v1/organizations/{organizationId}/roles', path)).data!.result;
    const actor = `apiKey/${key.id}`;
    const allowed = new Set<string>();
    const denied = new Set<string>();
    for (const role of roles) {
      if (!role.actors.includes(actor)) continue;
      for (const policy of role.policies) for (const permission of policy.permissions) (policy.allowDeny === 'DENY' ? denied : allowed).add(permission);
    }
    const can = (permission: Permission) => allowed.has(permission) && !denied.has(permission);
    return { known: true, keyUuid: key.id, can, reason: (permission) => (can(permission) ? '' : `This key's roles do not grant ${permission}.`) };
  } catch {
    return unknownAccess('this key may not read its own key record and roles (control-plane:organization:view-api-keys)');
  }
}

function unknownAccess(why: string): Access {
  return { known: false, can: () => false, reason: () => `The console offers no changes: ${why}.` };
}
