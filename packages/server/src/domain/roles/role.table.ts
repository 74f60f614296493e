import type { Insertable, Selectable } from 'kysely';

/** Custom roles only: system roles are code (system-roles.ts). */
export interface RoleTable {
  id: string;
  organization_id: string;
  name: string;
  /** JSON array of the vendor's RBACPolicy (id, allowDeny, permissions, resources, tags). */
  policies: string;
  created_at: string;
  updated_at: string;
}

/**
 * Who holds which role (system or custom). Actors are the vendor's resource
 * IDs, `apiKey/<key UUID>` and `user/<userId>`, plus `invitation/<id>` for the
 * roles an open invitation will give (never shown as an actor).
 */
export interface RoleAssignmentTable {
  organization_id: string;
  role_id: string;
  actor: string;
}

export type RoleRow = Selectable<RoleTable>;
export type NewRoleRow = Insertable<RoleTable>;
export type RoleAssignmentRow = Selectable<RoleAssignmentTable>;
