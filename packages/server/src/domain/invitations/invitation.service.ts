import { randomUUID } from 'node:crypto';
import type { Executor } from '../../db/executor.js';
import type { Invitation, InvitationPost } from '../../schemas/invitation.js';
import type { Member } from '../../schemas/member.js';
import type { AssignedRole } from '../../schemas/role.js';
import type { Initiator } from '../access.js';
import type { Actor } from '../actor.js';
import type { Domain } from '../domain.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { MAX_MEMBERS_PER_ORGANIZATION, MAX_OPEN_INVITATIONS_PER_ORGANIZATION } from '../../vocabulary/limits.js';
import { countMembers, findMemberByEmail } from '../members/member.repository.js';
import { insertNewMember, legacyMemberRole, normaliseEmail, toMember } from '../members/member.service.js';
import { changeOrganization, type OrganizationChange } from '../organizations/organization-change.js';
import { invitationActor, userActor } from '../roles/actor-ids.js';
import { deleteAssignments, renameActor } from '../roles/role.repository.js';
import { assignedRolesByActor, assignedRolesOf, requestedRoleIds, resolveRoles, setRolesOf, toAssignedRoles } from '../roles/role.service.js';
import { systemRoleId } from '../roles/system-roles.js';
import { countOpenInvitations, deleteInvitationRow, findInvitation, findInvitationById, findInvitationsByEmail, insertInvitation, listInvitations } from './invitation.repository.js';
import type { InvitationRow } from './invitation.table.js';

export function toInvitation(row: InvitationRow, assignedRoles: AssignedRole[]): Invitation {
  const role = legacyMemberRole(row.organization_id, assignedRoles);
  return { id: row.id, email: row.email, ...(role === undefined ? {} : { role }), createdAt: row.created_at, expireAt: row.expire_at, assignedRoles };
}

/** Every invitation, expired ones included, oldest first (createdAt, then id). */
export async function getInvitations(db: Executor, organizationId: string): Promise<Invitation[]> {
  const rows = await listInvitations(db, organizationId);
  const roles = await assignedRolesByActor(db, organizationId);
  return rows.map((row) => toInvitation(row, roles.get(invitationActor(row.id)) ?? []));
}

export async function getInvitation(db: Executor, organizationId: string, id: string): Promise<Invitation> {
  const row = await findInvitation(db, organizationId, id);
  if (!row) throw notFound('Invitation');
  return toInvitation(row, await assignedRolesOf(db, organizationId, invitationActor(id)));
}

async function removeInvitation(change: OrganizationChange, id: string): Promise<void> {
  await deleteAssignments(change.trx, change.organizationId, { actor: invitationActor(id) });
  await deleteInvitationRow(change.trx, id);
}

/**
 * Invites an email with the given roles (assignedRoleIds or the deprecated
 * role, agreeing; neither: the Member system role), open for the domain's
 * invitation lifetime. 409 when the email is a member already or has an open
 * invitation; an expired invitation of the email is replaced.
 */
export async function createInvitation(domain: Domain, organizationId: string, input: InvitationPost, by: Initiator): Promise<Invitation> {
  const email = normaliseEmail(input.email);
  const requested = requestedRoleIds(organizationId, 'role', input.role === undefined ? undefined : [input.role], input.assignedRoleIds, false);
  return changeOrganization(domain, organizationId, by, async (change) => {
    const now = domain.clock.now();
    const nowIso = now.toISOString();
    if (await findMemberByEmail(change.trx, organizationId, email)) throw conflict(`${email} is already a member of this organization`);
    const existing = await findInvitationsByEmail(change.trx, organizationId, email);
    const open = existing.find((i) => i.expire_at > nowIso);
    if (open) {
      throw conflict(`${email} already has an open invitation to this organization (${open.id}, expires ${open.expire_at}); delete it to invite again`);
    }
    if ((await countOpenInvitations(change.trx, organizationId, nowIso)) >= MAX_OPEN_INVITATIONS_PER_ORGANIZATION) {
      throw badRequest(`The organization already has the maximum of ${MAX_OPEN_INVITATIONS_PER_ORGANIZATION} open invitations; delete one before creating another`);
    }
    if ((await countMembers(change.trx, organizationId)) >= MAX_MEMBERS_PER_ORGANIZATION) {
      throw badRequest(`The organization already has the maximum of ${MAX_MEMBERS_PER_ORGANIZATION.toLocaleString('en-US')} members; remove one before inviting another`);
    }
    const roles = await resolveRoles(change.trx, organizationId, requested ?? [systemRoleId(organizationId, 'member')], input.assignedRoleIds !== undefined ? 'assignedRoleIds' : 'role');
    // Re-inviting an email whose invitation expired replaces that invitation.
    for (const expired of existing) await removeInvitation(change, expired.id);
    const row: InvitationRow = {
      id: randomUUID(),
      organization_id: organizationId,
      email,
      created_at: nowIso,
      expire_at: new Date(now.getTime() + domain.invitationTtlMs).toISOString(),
    };
    await insertInvitation(change.trx, row);
    await setRolesOf(change, invitationActor(row.id), roles, by, { newActor: true });
    change.record('organization_invite_create', by.actor);
    return toInvitation(row, toAssignedRoles(roles));
  });
}

/** Deletes an invitation (open or expired) and the roles it would give, and records organization_invite_delete. */
export async function deleteInvitation(domain: Domain, organizationId: string, id: string, by: Initiator): Promise<void> {
  await changeOrganization(domain, organizationId, by, async (change) => {
    if (!(await findInvitation(change.trx, organizationId, id))) throw notFound('Invitation');
    await removeInvitation(change, id);
    change.record('organization_invite_delete', by.actor);
  });
}

/**
 * Accepts an open invitation on the invited person's behalf (the operator's
 * `invitations accept`): in one change of its organization, creates the
 * member (name: the given one, or the email's local part) with the
 * invitation's roles, deletes the invitation and records
 * organization_member_join with the new member as its actor (type user).
 */
export async function acceptInvitation(domain: Domain, invitationId: string, input: { name?: string }): Promise<Member> {
  const found = await findInvitationById(domain.db, invitationId);
  if (!found) throw notFound(`Invitation ${invitationId}`);
  return changeOrganization(domain, found.organization_id, null, async (change) => {
    const invitation = await findInvitation(change.trx, change.organizationId, invitationId);
    if (!invitation) throw notFound(`Invitation ${invitationId}`);
    const now = domain.clock.now();
    if (invitation.expire_at <= now.toISOString()) {
      throw badRequest(`Invitation ${invitationId} expired at ${invitation.expire_at}; invite ${invitation.email} again`);
    }
    const member = await insertNewMember(change, { email: invitation.email, ...(input.name === undefined ? {} : { name: input.name }) }, now);
    await renameActor(change.trx, change.organizationId, invitationActor(invitationId), userActor(member.user_id));
    await deleteInvitationRow(change.trx, invitationId);
    const actor: Actor = { type: 'user', id: member.user_id, details: `user ${member.email}` };
    change.record('organization_member_join', actor);
    return toMember(member, await assignedRolesOf(change.trx, change.organizationId, userActor(member.user_id)));
  });
}
