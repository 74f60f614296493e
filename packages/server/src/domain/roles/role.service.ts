import { randomUUID } from 'node:crypto';
import type { Executor } from '../../db/executor.js';
import type { AssignedRole, PolicyInput, RbacPolicy, RbacRole, RoleCreate, RoleUpdate } from '../../schemas/role.js';
import { assertAssignable, assertGrantable, assertUnassignable, type Initiator } from '../access.js';
import type { Domain } from '../domain.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { keepingAdminKey } from '../keys/admin-keys.js';
import type { KeyRole } from '../../vocabulary/key-roles.js';
import { changeOrganization, type OrganizationChange } from '../organizations/organization-change.js';
import { findOrganization } from '../organizations/organization.repository.js';
import { MAX_ASSIGNED_ROLES, MAX_CUSTOM_ROLES_PER_ORGANIZATION } from '../../vocabulary/limits.js';
import { isPermission } from '../../vocabulary/permissions.js';
import type { PolicyRule } from './policy.js';
import { validActors } from './role-actors.js';
import { assignmentsOfRole, countRolesOfActors, deleteAssignments, deleteRoleRow, findCustomRole, findCustomRoles, insertAssignments, insertRole, listAssignments, listCustomRoleIds, listCustomRoleNames, listCustomRoles, rolesOfActor, takeRolesOf, updateRoleRow } from './role.repository.js';
import type { RoleRow } from './role.table.js';
import { LEGACY_KEY_ROLE_CODES, SYSTEM_ROLES, systemPolicyId, systemRoleId, type SystemRoleCode } from './system-roles.js';

/** A role of one organization, system or custom, as the services use it. */
export interface ResolvedRole {
  id: string;
  name: string;
  type: 'system' | 'custom';
  code?: SystemRoleCode;
  policies: StoredPolicy[];
  createdAt?: string;
  updatedAt?: string;
}

/** What an assignment shows of a role. */
type RoleName = Pick<ResolvedRole, 'id' | 'name' | 'type' | 'code'>;

/** A policy as stored in a custom role's row: the rule plus its ID and tags. */
export type StoredPolicy = PolicyRule & { id: string; tags?: PolicyInput['tags'] };

function systemRoles(organizationId: string): ResolvedRole[] {
  return SYSTEM_ROLES.map((role) => {
    const id = systemRoleId(organizationId, role.code);
    const policies = role.policies.map((p, i) => ({ ...p, permissions: [...p.permissions], resources: [...p.resources], id: systemPolicyId(id, i) }));
    return { id, name: role.name, type: 'system', code: role.code, policies };
  });
}

function customRole(row: RoleRow): ResolvedRole {
  return { id: row.id, name: row.name, type: 'custom', policies: JSON.parse(row.policies) as StoredPolicy[], createdAt: row.created_at, updatedAt: row.updated_at };
}

const isPublicActor = (actor: string): boolean => actor.startsWith('apiKey/') || actor.startsWith('user/');

function toRbacRole(organizationId: string, role: ResolvedRole, organizationCreatedAt: string, actors: string[]): RbacRole {
  const tenant = `organization/${organizationId}`;
  const policies: RbacPolicy[] = role.policies.map((p) => {
    const policy: RbacPolicy = { id: p.id, roleId: role.id, tenantId: tenant, allowDeny: p.allowDeny, permissions: p.permissions, resources: p.resources };
    if (p.tags) policy.tags = p.tags;
    return policy;
  });
  return {
    id: role.id,
    tenantId: tenant,
    ownerId: tenant,
    name: role.name,
    type: role.type,
    actors: actors.filter(isPublicActor),
    policies,
    createdAt: role.createdAt ?? organizationCreatedAt,
    updatedAt: role.updatedAt ?? organizationCreatedAt,
  };
}

async function organizationCreatedAt(db: Executor, organizationId: string): Promise<string> {
  const organization = await findOrganization(db, organizationId);
  if (!organization) throw notFound('Organization');
  return organization.created_at;
}

/** Custom roles read per page of a role list: about 1 MB of stored policies at the bounds. */
const ROLES_PER_PAGE = 10;

/**
 * Every role of the organization, the system roles first, then the custom ones
 * oldest first, a page at a time. The list's order, the actors and the system
 * roles are read at once; each page of custom roles is read (and its policies
 * parsed) only when the reader has taken the page before, so a full
 * organization's list (about 9 MB) is never held whole for a reader that
 * takes it slowly. A role deleted meanwhile is left out; one changed
 * meanwhile is listed as changed.
 */
export async function streamRoles(db: Executor, organizationId: string): Promise<AsyncIterable<RbacRole[]>> {
  const createdAt = await organizationCreatedAt(db, organizationId);
  const ids = await listCustomRoleIds(db, organizationId);
  const assignments = await listAssignments(db, organizationId);
  const actors = new Map<string, string[]>();
  // Appended in place: a role can have over a thousand actors, and copying the list per actor made the
  // garbage of one read grow with the square of that.
  for (const a of assignments) {
    const list = actors.get(a.role_id);
    if (list) list.push(a.actor);
    else actors.set(a.role_id, [a.actor]);
  }
  const rbac = (role: ResolvedRole) => toRbacRole(organizationId, role, createdAt, actors.get(role.id) ?? []);
  return (async function* pages() {
    yield systemRoles(organizationId).map(rbac);
    for (let i = 0; i < ids.length; i += ROLES_PER_PAGE) {
      const page = ids.slice(i, i + ROLES_PER_PAGE);
      const rows = new Map((await findCustomRoles(db, organizationId, page)).map((row) => [row.id, row]));
      yield page.flatMap((id) => {
        const row = rows.get(id);
        return row ? [rbac(customRole(row))] : [];
      });
    }
  })();
}

async function findRole(db: Executor, organizationId: string, roleId: string): Promise<ResolvedRole | undefined> {
  const system = systemRoles(organizationId).find((r) => r.id === roleId);
  if (system) return system;
  const row = await findCustomRole(db, organizationId, roleId);
  return row && customRole(row);
}

export async function getRole(db: Executor, organizationId: string, roleId: string): Promise<RbacRole> {
  const createdAt = await organizationCreatedAt(db, organizationId);
  const role = await findRole(db, organizationId, roleId);
  if (!role) throw notFound('Role');
  return toRbacRole(organizationId, role, createdAt, await assignmentsOfRole(db, organizationId, roleId));
}

// Resource IDs are whole UUIDs (lower case by now), not any 36 hex digits and dashes.
const RESOURCE = /^(\*|organization\/\*|instance\/\*|(organization|instance)\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/**
 * Checks a role's policies (known permissions, resources of this organization)
 * and returns them as stored: deduplicated, resources in lower case, each with
 * its ID (the given one, as a fixture restores it, or a new one). `field`
 * names the list in messages.
 */
export function validPolicies(organizationId: string, policies: (PolicyInput & { id?: string })[], field = 'policies'): StoredPolicy[] {
  return policies.map((policy, i) => {
    policy.permissions.forEach((permission, j) => {
      if (!isPermission(permission)) throw badRequest(`Invalid field '${field}[${i}].permissions[${j}]': unknown permission '${permission}'`);
    });
    const resources = policy.resources.map((resource, j) => {
      const normalised = resource.toLowerCase();
      if (!RESOURCE.test(normalised) || (normalised.startsWith('organization/') && normalised !== 'organization/*' && normalised !== `organization/${organizationId}`)) {
        throw badRequest(
          `Invalid field '${field}[${i}].resources[${j}]': '${resource}' must be *, organization/*, organization/<this organization's ID>, instance/* or instance/<service ID>`,
        );
      }
      return normalised;
    });
    const stored: StoredPolicy = { id: policy.id?.toLowerCase() ?? randomUUID(), allowDeny: policy.allowDeny, permissions: [...new Set(policy.permissions)] as StoredPolicy['permissions'], resources: [...new Set(resources)] };
    if (policy.tags) stored.tags = policy.tags;
    return stored;
  });
}

/** Two policies with the same effect, permissions and resources (order aside). */
function sameRule(a: PolicyRule, b: PolicyRule): boolean {
  const same = (x: string[], y: string[]): boolean => x.length === y.length && x.every((v) => y.includes(v));
  return a.allowDeny === b.allowDeny && same(a.permissions, b.permissions) && same(a.resources, b.resources);
}

/**
 * An actor holds at most MAX_ASSIGNED_ROLES roles however they were given
 * (assignedRoleIds sends at most that many; a role's actors list adds one
 * role to each): refuses (400 naming the entry of `actors`) adding one that
 * already holds that many. Under the organization's lock, like every bound.
 */
async function assertRoomForRole(change: OrganizationChange, requested: string[], added: string[]): Promise<void> {
  const held = await countRolesOfActors(change.trx, change.organizationId, added);
  const full = added.find((actor) => (held.get(actor) ?? 0) >= MAX_ASSIGNED_ROLES);
  if (full === undefined) return;
  // validActors lower-cased the ID part only.
  const i = requested.findIndex((a) => `${a.slice(0, a.indexOf('/'))}${a.slice(a.indexOf('/')).toLowerCase()}` === full);
  throw badRequest(`Invalid field 'actors[${i}]': '${requested[i]}' already holds the maximum of ${MAX_ASSIGNED_ROLES} roles; remove one of its roles first`);
}

async function assertNameFree(change: OrganizationChange, name: string, except?: string): Promise<void> {
  const taken = [...systemRoles(change.organizationId), ...(await listCustomRoles(change.trx, change.organizationId)).map(customRole)];
  if (taken.some((r) => r.id !== except && r.name.toLowerCase() === name.toLowerCase())) {
    throw conflict(`A role named '${name}' already exists in this organization`);
  }
}

/**
 * Records, for each key and member whose roles a change of a role's holders
 * changes, what a change of its own roles records: openapi_key_update
 * (roles-v2-changed) for a key, organization_member_update_roles for a
 * member (invitations record nothing), in the change's transaction.
 */
function recordHolderChanges(change: OrganizationChange, by: Initiator, holders: string[]): void {
  for (const holder of [...holders].sort()) {
    if (holder.startsWith('apiKey/')) change.record('openapi_key_update', by.actor, { targetKeyId: holder.slice('apiKey/'.length), keyUpdateType: 'roles-v2-changed' });
    else if (holder.startsWith('user/')) change.record('organization_member_update_roles', by.actor);
  }
}

/** Creates a custom role with its policies and actors, under the organization's lock (name and count checks included). */
export async function createRole(domain: Domain, organizationId: string, input: RoleCreate, by: Initiator): Promise<RbacRole> {
  const role = await changeOrganization(domain, organizationId, by, async (change) => {
    const existing = await listCustomRoles(change.trx, organizationId);
    if (existing.length >= MAX_CUSTOM_ROLES_PER_ORGANIZATION) {
      throw badRequest(`The organization already has the maximum of ${MAX_CUSTOM_ROLES_PER_ORGANIZATION} custom roles; delete one before creating another`);
    }
    await assertNameFree(change, input.name);
    const policies = validPolicies(organizationId, input.policies);
    const actors = await validActors(change, input.actors);
    if (actors.length > 0) assertAssignable(by, policies, `Role '${input.name}'`);
    else assertGrantable(by, policies, `Role '${input.name}'`);
    await assertRoomForRole(change, input.actors, actors);
    const now = domain.clock.now();
    const row: RoleRow = { id: randomUUID(), organization_id: organizationId, name: input.name, policies: JSON.stringify(policies), created_at: now.toISOString(), updated_at: now.toISOString() };
    const insert = async (): Promise<void> => {
      await insertRole(change.trx, row);
      await insertAssignments(change.trx, actors.map((actor) => ({ organization_id: organizationId, role_id: row.id, actor })));
    };
    // Only a DENY given to holders takes anything away from them.
    if (actors.length > 0 && policies.some((p) => p.allowDeny === 'DENY')) await keepingAdminKey(change, by, now, { fields: ['actors'] }, insert);
    else await insert();
    recordHolderChanges(change, by, actors);
    change.accessChanged();
    // Sorted, as GET and PATCH list them (by actor), so the create response is what a read returns.
    return toRbacRole(organizationId, customRole(row), change.organization.created_at, [...actors].sort());
  });
  domain.keys.forgetOrganization(organizationId);
  return role;
}

async function existingCustomRole(change: OrganizationChange, roleId: string): Promise<ResolvedRole> {
  const role = await findRole(change.trx, change.organizationId, roleId);
  if (!role) throw notFound('Role');
  if (role.type === 'system') throw badRequest(`System role '${role.name}' cannot be changed or deleted; create a custom role instead`);
  return role;
}

/**
 * A system role's PATCH: its name and policies are fixed (400 naming the
 * field), its `actors` are who holds it, replaced whole. That is the same
 * assignment as a key's `assignedRoleIds` or a member's roles, from the
 * role's side, held to the same rules: no escalation either way, at most
 * MAX_ASSIGNED_ROLES roles per holder, the organization keeps a working Admin
 * key and a member holding Admin, and the same activities per holder.
 */
async function updateSystemRole(change: OrganizationChange, role: ResolvedRole, input: RoleUpdate, by: Initiator, now: Date): Promise<RbacRole> {
  const fixed = (['name', 'policies'] as const).find((field) => input[field] !== undefined);
  if (fixed) throw badRequest(`Invalid field '${fixed}': System role '${role.name}' cannot be changed except for its actors: its ${fixed === 'name' ? 'name is' : 'policies are'} fixed; create a custom role instead`);
  const held = await assignmentsOfRole(change.trx, change.organizationId, role.id);
  if (input.actors === undefined) return toRbacRole(change.organizationId, role, change.organization.created_at, held);
  const wanted = await validActors(change, input.actors);
  const added = wanted.filter((a) => !held.includes(a));
  const removed = held.filter((a) => isPublicActor(a) && !wanted.includes(a));
  await assertRoomForRole(change, input.actors, added);
  if (added.length > 0) assertAssignable(by, role.policies, `Assigning role '${role.name}'`);
  if (removed.length > 0) assertUnassignable(by, role.policies, `Removing role '${role.name}'`);
  const apply = async (): Promise<void> => {
    await deleteAssignments(change.trx, change.organizationId, { roleId: role.id, actors: removed });
    await insertAssignments(change.trx, added.map((actor) => ({ organization_id: change.organizationId, role_id: role.id, actor })));
  };
  if (role.code === 'admin') assertAdminMemberKept(held, wanted);
  if (removed.length > 0) await keepingAdminKey(change, by, now, { fields: ['actors'] }, apply);
  else await apply();
  recordHolderChanges(change, by, [...removed, ...added]);
  if (removed.length > 0 || added.length > 0) change.accessChanged();
  return toRbacRole(change.organizationId, role, change.organization.created_at, [...held.filter((a) => !removed.includes(a)), ...added].sort());
}

/**
 * The organization keeps a member holding Admin, as a member's own PATCH and
 * removal keep it: refuses (400 naming `actors`) a PATCH of Admin's actors
 * that leaves none of the members who held it. Every user/ actor is a member
 * (validActors checked the new ones; removing a member removes its roles).
 */
function assertAdminMemberKept(held: string[], wanted: string[]): void {
  const members = (actors: string[]): number => actors.filter((a) => a.startsWith('user/')).length;
  if (members(held) > 0 && members(wanted) === 0) {
    throw badRequest(`Invalid field 'actors': this change would leave the organization without a member holding the Admin role: give another member the Admin role first`);
  }
}

/** Replaces what the PATCH sends: the name, the whole policy list, the whole actor list (of a system role, its actors only). */
export async function updateRole(domain: Domain, organizationId: string, roleId: string, input: RoleUpdate, by: Initiator): Promise<RbacRole> {
  const role = await changeOrganization(domain, organizationId, by, async (change) => {
    const current = await findRole(change.trx, organizationId, roleId);
    if (!current) throw notFound('Role');
    if (current.type === 'system') return updateSystemRole(change, current, input, by, domain.clock.now());
    const name = input.name ?? current.name;
    if (input.name !== undefined) await assertNameFree(change, input.name, roleId);
    const policies = input.policies === undefined ? current.policies : validPolicies(organizationId, input.policies);
    const held = await assignmentsOfRole(change.trx, organizationId, roleId);
    if (input.policies !== undefined) assertGrantable(by, policies, `Role '${name}'`);
    let added: string[] = [];
    let removed: string[] = [];
    if (input.actors !== undefined) {
      const wanted = await validActors(change, input.actors);
      added = wanted.filter((a) => !held.includes(a));
      removed = held.filter((a) => isPublicActor(a) && !wanted.includes(a));
      await assertRoomForRole(change, input.actors, added);
    }
    // Holders that keep the role lose the policies dropped and get the ones added.
    if (input.policies !== undefined && held.some((a) => !removed.includes(a))) {
      assertUnassignable(by, current.policies.filter((old) => !policies.some((p) => sameRule(old, p))), `Role '${name}'`);
      assertAssignable(by, policies.filter((p) => !current.policies.some((old) => sameRule(old, p))), `Role '${name}'`);
    }
    if (added.length > 0) assertAssignable(by, policies, `Assigning role '${name}'`);
    if (removed.length > 0) assertUnassignable(by, current.policies, `Removing an actor from role '${name}'`);
    const now = domain.clock.now();
    const apply = async (): Promise<void> => {
      await deleteAssignments(change.trx, organizationId, { roleId, actors: removed });
      await insertAssignments(change.trx, added.map((actor) => ({ organization_id: organizationId, role_id: roleId, actor })));
      await updateRoleRow(change.trx, organizationId, roleId, { name, policies: JSON.stringify(policies), updated_at: now.toISOString() });
    };
    const takesAway = (input.policies !== undefined && held.length > 0) || removed.length > 0 || (added.length > 0 && policies.some((p) => p.allowDeny === 'DENY'));
    if (takesAway) {
      await keepingAdminKey(change, by, now, { fields: [...(input.policies !== undefined ? ['policies'] : []), ...(input.actors !== undefined ? ['actors'] : [])] }, apply);
    } else await apply();
    recordHolderChanges(change, by, [...removed, ...added]);
    change.accessChanged();
    const updatedAt = now.toISOString();
    const actors = [...held.filter((a) => !removed.includes(a)), ...added].sort();
    return toRbacRole(organizationId, { ...current, name, policies, updatedAt }, change.organization.created_at, actors);
  });
  domain.keys.forgetOrganization(organizationId);
  return role;
}

/** Deletes a custom role and every assignment of it (keys, members, open invitations). */
export async function deleteRole(domain: Domain, organizationId: string, roleId: string, by: Initiator): Promise<void> {
  await changeOrganization(domain, organizationId, by, async (change) => {
    const role = await existingCustomRole(change, roleId);
    const holders = await assignmentsOfRole(change.trx, organizationId, roleId);
    if (holders.length === 0) await deleteRoleRow(change.trx, organizationId, roleId);
    else {
      assertUnassignable(by, role.policies, `Deleting role '${role.name}'`);
      await keepingAdminKey(change, by, domain.clock.now(), { fields: [] }, () => deleteRoleRow(change.trx, organizationId, roleId));
      recordHolderChanges(change, by, holders);
    }
    change.accessChanged();
  });
  domain.keys.forgetOrganization(organizationId);
}

/**
 * Looks up role IDs of this organization (system or custom), in the order
 * given and without duplicates; an unknown one is a 400 naming `field[i]`.
 */
export async function resolveRoles(db: Executor, organizationId: string, ids: string[], field: string): Promise<ResolvedRole[]> {
  const wanted = [...new Set(ids.map((id) => id.toLowerCase()))];
  const system = systemRoles(organizationId);
  const custom = (await findCustomRoles(db, organizationId, wanted.filter((id) => !system.some((r) => r.id === id)))).map(customRole);
  return wanted.map((id) => {
    const role = system.find((r) => r.id === id) ?? custom.find((r) => r.id === id);
    if (!role) throw badRequest(`Invalid field '${field}[${ids.findIndex((x) => x.toLowerCase() === id)}]': no role with ID '${id}' in this organization`);
    return role;
  });
}

/**
 * Gives `actor` exactly `roles`, refusing (403) any role it gains that the
 * initiator could not assign (grant its ALLOWs, impose its DENYs) and any it
 * loses that the initiator could not take away (withdraw its ALLOWs, lift its
 * DENYs); `newActor` skips taking the roles of an actor
 * that cannot have any yet. Returns whether the assignment changed. Runs
 * inside the change's transaction, so a refusal undoes what it did.
 */
export async function setRolesOf(change: OrganizationChange, actor: string, roles: ResolvedRole[], by: Initiator, options: { newActor?: boolean } = {}): Promise<boolean> {
  const held = options.newActor ? [] : await takeRolesOf(change.trx, change.organizationId, actor);
  const added = roles.filter((r) => !held.includes(r.id));
  for (const role of added) assertAssignable(by, role.policies, `Assigning role '${role.name}'`);
  const removed = held.filter((id) => !roles.some((r) => r.id === id));
  if (by.principal && removed.length > 0) {
    for (const role of await resolveRoles(change.trx, change.organizationId, removed, 'roles')) assertUnassignable(by, role.policies, `Removing role '${role.name}'`);
  }
  await insertAssignments(change.trx, roles.map((r) => ({ organization_id: change.organizationId, role_id: r.id, actor })));
  const changed = added.length > 0 || removed.length > 0;
  if (changed) change.accessChanged();
  return changed;
}

export function toAssignedRoles(roles: RoleName[]): AssignedRole[] {
  const rank = (r: RoleName): number => (r.code ? SYSTEM_ROLES.findIndex((s) => s.code === r.code) : SYSTEM_ROLES.length);
  return [...roles]
    .sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
    .map((r) => ({ roleId: r.id, roleName: r.name, roleType: r.type }));
}

/**
 * Every actor's roles in one organization (two statements), for lists of keys,
 * members and invitations. Only the roles' names are read: parsing every
 * custom role's policies (up to about 9 MB) to name them was most of a list's work.
 */
export async function assignedRolesByActor(db: Executor, organizationId: string): Promise<Map<string, AssignedRole[]>> {
  const custom = (await listCustomRoleNames(db, organizationId)).map((r): RoleName => ({ ...r, type: 'custom' }));
  const assignments = await listAssignments(db, organizationId);
  const roles = new Map<string, RoleName>([...systemRoles(organizationId), ...custom].map((r) => [r.id, r]));
  const byActor = new Map<string, RoleName[]>();
  for (const a of assignments) {
    const role = roles.get(a.role_id);
    if (!role) continue;
    const list = byActor.get(a.actor);
    if (list) list.push(role);
    else byActor.set(a.actor, [role]);
  }
  return new Map([...byActor].map(([actor, list]) => [actor, toAssignedRoles(list)]));
}

/** The roles an actor holds in one organization. */
export async function rolesHeldBy(db: Executor, organizationId: string, actor: string): Promise<ResolvedRole[]> {
  return resolveRoles(db, organizationId, await rolesOfActor(db, organizationId, actor), 'roles');
}

export async function assignedRolesOf(db: Executor, organizationId: string, actor: string): Promise<AssignedRole[]> {
  return toAssignedRoles(await rolesHeldBy(db, organizationId, actor));
}

/** The system roles that carry the deprecated key (or member) roles. */
export function legacyRoleIds(organizationId: string, roles: readonly KeyRole[]): string[] {
  return roles.map((role) => systemRoleId(organizationId, LEGACY_KEY_ROLE_CODES[role]));
}

/** The deprecated roles an actor's assigned roles amount to, in the vendor's order. */
export function legacyRolesOf<R extends KeyRole>(organizationId: string, assigned: AssignedRole[], among: readonly R[]): R[] {
  return among.filter((role) => assigned.some((a) => a.roleId === systemRoleId(organizationId, LEGACY_KEY_ROLE_CODES[role])));
}

/**
 * The role IDs a write asks for: from `assignedRoleIds`, from the deprecated
 * roles, or from both when they agree (400 when they do not, and when a
 * required write has neither).
 */
export function requestedRoleIds(organizationId: string, legacyField: string, legacy: readonly KeyRole[] | undefined, ids: string[] | undefined, required: boolean): string[] | undefined {
  const fromLegacy = legacy === undefined ? undefined : legacyRoleIds(organizationId, legacy);
  if (fromLegacy === undefined && ids === undefined) {
    if (required) throw badRequest(`Missing required field: send 'assignedRoleIds' (or the deprecated '${legacyField}')`);
    return undefined;
  }
  if (fromLegacy !== undefined && ids !== undefined) {
    const a = new Set(fromLegacy);
    const b = new Set(ids.map((id) => id.toLowerCase()));
    if (a.size !== b.size || [...a].some((id) => !b.has(id))) {
      throw badRequest(`Invalid fields '${legacyField}' and 'assignedRoleIds': they name different roles; send one of them, or both naming the same roles`);
    }
  }
  return ids ?? fromLegacy;
}
