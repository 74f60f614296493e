import type { Executor } from '../../db/executor.js';
import type { MemberRow } from './member.table.js';

export async function listMembers(db: Executor, organizationId: string): Promise<MemberRow[]> {
  return db.selectFrom('members').selectAll().where('organization_id', '=', organizationId).orderBy('joined_at').orderBy('user_id').execute();
}

export async function findMember(db: Executor, organizationId: string, userId: string): Promise<MemberRow | undefined> {
  return db.selectFrom('members').selectAll().where('organization_id', '=', organizationId).where('user_id', '=', userId).executeTakeFirst();
}

export async function findMemberByEmail(db: Executor, organizationId: string, email: string): Promise<MemberRow | undefined> {
  return db.selectFrom('members').selectAll().where('organization_id', '=', organizationId).where('email', '=', email).executeTakeFirst();
}

/** The userId this email already has as a member of any organization (a person keeps one userId everywhere). */
export async function findUserIdByEmail(db: Executor, email: string): Promise<string | undefined> {
  const row = await db.selectFrom('members').select('user_id').where('email', '=', email).orderBy('joined_at').limit(1).executeTakeFirst();
  return row?.user_id;
}

export async function countMembers(db: Executor, organizationId: string): Promise<number> {
  const row = await db.selectFrom('members').select((eb) => eb.fn.countAll<number | string>().as('n')).where('organization_id', '=', organizationId).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertMember(db: Executor, row: MemberRow): Promise<void> {
  await db.insertInto('members').values(row).execute();
}

export async function deleteMemberRow(db: Executor, organizationId: string, userId: string): Promise<void> {
  await db.deleteFrom('members').where('organization_id', '=', organizationId).where('user_id', '=', userId).execute();
}

/** How many members of the organization hold the role (assignments to user/<userId> actors, which exist only for members). */
export async function countMembersWithRole(db: Executor, organizationId: string, roleId: string): Promise<number> {
  const row = await db
    .selectFrom('role_assignments')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('organization_id', '=', organizationId)
    .where('role_id', '=', roleId)
    .where('actor', 'like', 'user/%')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
