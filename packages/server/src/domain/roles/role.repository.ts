import { sql } from 'kysely';
import type { Executor } from '../../db/executor.js';
import { preparedQuery } from '../../db/prepared-query.js';
import type { NewRoleRow, RoleAssignmentRow, RoleRow, RoleTable } from './role.table.js';

export async function listCustomRoles(db: Executor, organizationId: string): Promise<RoleRow[]> {
  return db.selectFrom('roles').selectAll().where('organization_id', '=', organizationId).orderBy('created_at').orderBy('id').execute();
}

/** The IDs of the organization's custom roles, in list order (oldest first). */
export async function listCustomRoleIds(db: Executor, organizationId: string): Promise<string[]> {
  const rows = await db.selectFrom('roles').select('id').where('organization_id', '=', organizationId).orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => r.id);
}

/** The organization's custom roles' IDs and names, without their policies. */
export async function listCustomRoleNames(db: Executor, organizationId: string): Promise<{ id: string; name: string }[]> {
  return db.selectFrom('roles').select(['id', 'name']).where('organization_id', '=', organizationId).execute();
}

export async function findCustomRole(db: Executor, organizationId: string, id: string): Promise<RoleRow | undefined> {
  return db.selectFrom('roles').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
}

export async function findCustomRoles(db: Executor, organizationId: string, ids: string[]): Promise<RoleRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('roles').selectAll().where('organization_id', '=', organizationId).where('id', 'in', ids).execute();
}

export async function insertRole(db: Executor, row: NewRoleRow): Promise<void> {
  await db.insertInto('roles').values(row).execute();
}

export async function updateRoleRow(db: Executor, organizationId: string, id: string, fields: Partial<Pick<RoleTable, 'name' | 'policies' | 'updated_at'>>): Promise<void> {
  await db.updateTable('roles').set(fields).where('organization_id', '=', organizationId).where('id', '=', id).execute();
}

export async function deleteRoleRow(db: Executor, organizationId: string, id: string): Promise<void> {
  await db.deleteFrom('role_assignments').where('organization_id', '=', organizationId).where('role_id', '=', id).execute();
  await db.deleteFrom('roles').where('organization_id', '=', organizationId).where('id', '=', id).execute();
}

export async function listAssignments(db: Executor, organizationId: string): Promise<RoleAssignmentRow[]> {
  return db.selectFrom('role_assignments').selectAll().where('organization_id', '=', organizationId).orderBy('actor').execute();
}

export async function assignmentsOfRole(db: Executor, organizationId: string, roleId: string): Promise<string[]> {
  const rows = await db.selectFrom('role_assignments').select('actor').where('organization_id', '=', organizationId).where('role_id', '=', roleId).orderBy('actor').execute();
  return rows.map((r) => r.actor);
}

export async function rolesOfActor(db: Executor, organizationId: string, actor: string): Promise<string[]> {
  const rows = await db.selectFrom('role_assignments').select('role_id').where('organization_id', '=', organizationId).where('actor', '=', actor).execute();
  return rows.map((r) => r.role_id);
}

/** How many roles each of `actors` holds (actors holding none are absent), in one statement. */
export async function countRolesOfActors(db: Executor, organizationId: string, actors: string[]): Promise<Map<string, number>> {
  if (actors.length === 0) return new Map();
  const rows = await db
    .selectFrom('role_assignments')
    .select((eb) => ['actor', eb.fn.countAll<string | number>().as('count')])
    .where('organization_id', '=', organizationId)
    .where('actor', 'in', actors)
    .groupBy('actor')
    .execute();
  return new Map(rows.map((r) => [r.actor, Number(r.count)]));
}

/**
 * The enabled keys of one organization, each with every role it holds (one
 * row per role, or one with a null role_id when it holds none) and the custom
 * ones' policies: what the organization's working Admin keys are computed from
 * (keys/admin-keys.ts). Every join is scoped to the organization.
 */
export async function findEnabledKeysWithRoles(
  db: Executor,
  organizationId: string,
): Promise<{ id: string; expire_at: string | null; role_id: string | null; policies: string | null }[]> {
  return db
    .selectFrom('api_keys as k')
    .leftJoin('role_assignments as a', (join) => join.onRef('a.organization_id', '=', 'k.organization_id').on('a.actor', '=', sql<string>`'apiKey/' || k.id`))
    .leftJoin('roles as r', (join) => join.onRef('r.id', '=', 'a.role_id').onRef('r.organization_id', '=', 'a.organization_id'))
    .select(['k.id', 'k.expire_at', 'a.role_id', 'r.policies'])
    .where('k.organization_id', '=', organizationId)
    .where('k.state', '=', 'enabled')
    .execute();
}

export async function insertAssignments(db: Executor, rows: RoleAssignmentRow[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('role_assignments').values(rows).execute();
}

export async function deleteAssignments(db: Executor, organizationId: string, by: { actor?: string; roleId?: string; actors?: string[] }): Promise<void> {
  let query = db.deleteFrom('role_assignments').where('organization_id', '=', organizationId);
  if (by.actor !== undefined) query = query.where('actor', '=', by.actor);
  if (by.roleId !== undefined) query = query.where('role_id', '=', by.roleId);
  if (by.actors !== undefined) {
    if (by.actors.length === 0) return;
    query = query.where('actor', 'in', by.actors);
  }
  await query.execute();
}

/** Removes every role of one actor, answering which it held (one statement). */
export async function takeRolesOf(db: Executor, organizationId: string, actor: string): Promise<string[]> {
  const rows = await db.deleteFrom('role_assignments').where('organization_id', '=', organizationId).where('actor', '=', actor).returning('role_id').execute();
  return rows.map((r) => r.role_id);
}

export async function renameActor(db: Executor, organizationId: string, from: string, to: string): Promise<void> {
  await db.updateTable('role_assignments').set({ actor: to }).where('organization_id', '=', organizationId).where('actor', '=', from).execute();
}

/**
 * An actor's roles in one organization with the custom ones' policies (null
 * for system roles): what key verification loads. A role is joined by its
 * organization as well as its ID: a role ID is only an ID within its
 * organization (system role IDs are derived from it), so a row of another
 * organization with the same ID must never lend this actor its policies.
 */
const rolesWithPolicies = preparedQuery((db, a: { organizationId: string; actor: string }) =>
  db
    .selectFrom('role_assignments as a')
    .leftJoin('roles as r', (join) => join.onRef('r.id', '=', 'a.role_id').onRef('r.organization_id', '=', 'a.organization_id'))
    .select(['a.role_id', 'r.policies'])
    .where('a.organization_id', '=', a.organizationId)
    .where('a.actor', '=', a.actor),
);

export async function findRolesWithPolicies(db: Executor, organizationId: string, actor: string): Promise<{ role_id: string; policies: string | null }[]> {
  return rolesWithPolicies.all(db, { organizationId, actor });
}
