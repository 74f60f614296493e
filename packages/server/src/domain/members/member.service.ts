import { randomUUID } from 'node:crypto';
import type { Executor } from '../../db/executor.js';
import { MEMBER_ROLES, type Member, type MemberPatch, type MemberRole } from '../../schemas/member.js';
import type { AssignedRole } from '../../schemas/role.js';
import { assertUnassignable, type Initiator } from '../access.js';
import type { Domain } from '../domain.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { changeOrganization, type OrganizationChange } from '../organizations/organization-change.js';
import { userActor } from '../roles/actor-ids.js';
import { deleteAssignments, rolesOfActor } from '../roles/role.repository.js';
import { assignedRolesByActor, assignedRolesOf, legacyRolesOf, requestedRoleIds, resolveRoles, rolesHeldBy, setRolesOf, toAssignedRoles } from '../roles/role.service.js';
import { systemRoleId } from '../roles/system-roles.js';
import { codePointPrefix, isValidEmail, isValidName, MAX_NAME_LENGTH } from '../../vocabulary/text.js';
import { MAX_MEMBERS_PER_ORGANIZATION } from '../../vocabulary/limits.js';
import { countMembers, countMembersWithRole, deleteMemberRow, findMember, findMemberByEmail, findUserIdByEmail, insertMember, listMembers } from './member.repository.js';
import type { MemberRow } from './member.table.js';

/** The deprecated `role` of a member or invitation: admin if its roles include Admin, else developer if Developer, else none. */
export function legacyMemberRole(organizationId: string, assigned: AssignedRole[]): MemberRole | undefined {
  return legacyRolesOf(organizationId, assigned, MEMBER_ROLES)[0];
}

export function toMember(row: MemberRow, assignedRoles: AssignedRole[]): Member {
  const role = legacyMemberRole(row.organization_id, assignedRoles);
  return { userId: row.user_id, name: row.name, email: row.email, ...(role === undefined ? {} : { role }), joinedAt: row.joined_at, assignedRoles };
}

/** Members serialised per page of a list: a full organization's list is about 7.5 MB. */
const MEMBERS_PER_PAGE = 100;

/**
 * The organization's members, oldest first (joinedAt, then userId), read at once and
 * turned into the API's shape a page at a time, as the reader takes them (the
 * list is streamed; see http/json-array-stream.ts).
 */
export async function streamMembers(db: Executor, organizationId: string): Promise<AsyncIterable<Member[]>> {
  const rows = await listMembers(db, organizationId);
  const roles = await assignedRolesByActor(db, organizationId);
  return (async function* pages() {
    for (let i = 0; i < rows.length; i += MEMBERS_PER_PAGE) {
      yield rows.slice(i, i + MEMBERS_PER_PAGE).map((row) => toMember(row, roles.get(userActor(row.user_id)) ?? []));
    }
  })();
}

export async function getMember(db: Executor, organizationId: string, userId: string): Promise<Member> {
  const row = await findMember(db, organizationId, userId);
  if (!row) throw notFound('Member');
  return toMember(row, await assignedRolesOf(db, organizationId, userActor(userId)));
}

async function existingMember(change: OrganizationChange, userId: string): Promise<MemberRow> {
  const row = await findMember(change.trx, change.organizationId, userId);
  if (!row) throw notFound('Member');
  return row;
}

/**
 * The organization must keep at least one member holding the Admin system
 * role: refuses (400) taking it from, or removing, the only one. Runs under
 * the organization's lock, so two concurrent changes cannot both pass.
 */
async function assertNotLastAdmin(change: OrganizationChange, userId: string, what: 'remove' | 'demote'): Promise<void> {
  const adminRoleId = systemRoleId(change.organizationId, 'admin');
  if (!(await rolesOfActor(change.trx, change.organizationId, userActor(userId))).includes(adminRoleId)) return;
  if ((await countMembersWithRole(change.trx, change.organizationId, adminRoleId)) > 1) return;
  throw badRequest(
    what === 'remove'
      ? 'This member is the last member with the Admin role and cannot be removed: give another member the Admin role first'
      : 'This member is the last member with the Admin role and cannot lose it: give another member the Admin role first',
  );
}

/**
 * Replaces a member's roles (assignedRoleIds, or the deprecated role; both
 * must agree). Records organization_member_update_roles (assignedRoleIds) or
 * organization_member_update_role (role alone) when the assignment changed.
 */
export async function updateMember(domain: Domain, organizationId: string, userId: string, patch: MemberPatch, by: Initiator): Promise<Member> {
  const roleIds = requestedRoleIds(organizationId, 'role', patch.role === undefined ? undefined : [patch.role], patch.assignedRoleIds, true)!;
  const field = patch.assignedRoleIds !== undefined ? 'assignedRoleIds' : 'role';
  return changeOrganization(domain, organizationId, by, async (change) => {
    const row = await existingMember(change, userId);
    const roles = await resolveRoles(change.trx, organizationId, roleIds, field);
    if (!roles.some((r) => r.id === systemRoleId(organizationId, 'admin'))) await assertNotLastAdmin(change, userId, 'demote');
    if (await setRolesOf(change, userActor(userId), roles, by)) {
      change.record(field === 'assignedRoleIds' ? 'organization_member_update_roles' : 'organization_member_update_role', by.actor);
    }
    return toMember(row, toAssignedRoles(roles));
  });
}

/** Removes a member and its role assignments, and records organization_member_delete. */
export async function deleteMember(domain: Domain, organizationId: string, userId: string, by: Initiator): Promise<void> {
  await changeOrganization(domain, organizationId, by, async (change) => {
    await existingMember(change, userId);
    await assertNotLastAdmin(change, userId, 'remove');
    // Removing a member takes its roles away: the same rule as taking them one by one.
    if (by.principal) {
      for (const role of await rolesHeldBy(change.trx, organizationId, userActor(userId))) {
        assertUnassignable(by, role.policies, `Removing the member holding role '${role.name}'`);
      }
    }
    await deleteAssignments(change.trx, organizationId, { actor: userActor(userId) });
    await deleteMemberRow(change.trx, organizationId, userId);
    change.record('organization_member_delete', by.actor);
  });
}

/** An email as stored: lower case; 400 naming `field` when it is not an email. */
export function normaliseEmail(email: string, field = 'email'): string {
  if (!isValidEmail(email)) throw badRequest(`Invalid field '${field}': must be a valid email`);
  return email.toLowerCase();
}

/** The name a member gets when none is given: the email's local part. */
export function defaultMemberName(email: string): string {
  return codePointPrefix(email.slice(0, email.lastIndexOf('@')), MAX_NAME_LENGTH);
}

/**
 * Inserts a new member of the organization as part of a change: refuses an
 * email that already is one (409) and an organization at its bound (400).
 * The userId is the one this email already has in another organization, or a
 * new UUID. Roles are the caller's to assign.
 */
export async function insertNewMember(change: OrganizationChange, input: { email: string; name?: string }, now: Date): Promise<MemberRow> {
  const email = normaliseEmail(input.email);
  const name = input.name ?? defaultMemberName(email);
  if (!isValidName(name)) throw badRequest(`Invalid field 'name': must be 1 to 255 characters of non-blank text without control characters`);
  if (await findMemberByEmail(change.trx, change.organizationId, email)) {
    throw conflict(`${email} is already a member of this organization`);
  }
  if ((await countMembers(change.trx, change.organizationId)) >= MAX_MEMBERS_PER_ORGANIZATION) {
    throw badRequest(`The organization already has the maximum of ${MAX_MEMBERS_PER_ORGANIZATION.toLocaleString('en-US')} members; remove one before adding another`);
  }
  const row: MemberRow = {
    organization_id: change.organizationId,
    user_id: (await findUserIdByEmail(change.trx, email)) ?? randomUUID(),
    name,
    email,
    joined_at: now.toISOString(),
  };
  await insertMember(change.trx, row);
  return row;
}

export interface NewMemberInput {
  email: string;
  name?: string;
  /** Deprecated; the system role carrying it. */
  role?: MemberRole;
  /** Without it and without role: the Member system role. */
  assignedRoleIds?: string[];
}

/** The operator's `members add`: a member with the given roles (default Member), recorded as organization_member_add. */
export async function addMember(domain: Domain, organizationId: string, input: NewMemberInput, by: Initiator): Promise<Member> {
  const requested = requestedRoleIds(organizationId, 'role', input.role === undefined ? undefined : [input.role], input.assignedRoleIds, false);
  return changeOrganization(domain, organizationId, by, async (change) => {
    const row = await insertNewMember(change, input, domain.clock.now());
    const roleIds = requested ?? [systemRoleId(organizationId, 'member')];
    const roles = await resolveRoles(change.trx, organizationId, roleIds, input.assignedRoleIds !== undefined ? 'assignedRoleIds' : 'role');
    await setRolesOf(change, userActor(row.user_id), roles, by, { newActor: true });
    change.record('organization_member_add', by.actor);
    return toMember(row, toAssignedRoles(roles));
  });
}
