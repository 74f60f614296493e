import type { Executor } from '../../db/executor.js';
import type { InvitationRow } from './invitation.table.js';

export async function listInvitations(db: Executor, organizationId: string): Promise<InvitationRow[]> {
  return db.selectFrom('invitations').selectAll().where('organization_id', '=', organizationId).orderBy('created_at').orderBy('id').execute();
}

export async function findInvitation(db: Executor, organizationId: string, id: string): Promise<InvitationRow | undefined> {
  return db.selectFrom('invitations').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
}

/** An invitation of any organization, by its ID (the operator's accept knows only that). */
export async function findInvitationById(db: Executor, id: string): Promise<InvitationRow | undefined> {
  return db.selectFrom('invitations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findInvitationsByEmail(db: Executor, organizationId: string, email: string): Promise<InvitationRow[]> {
  return db.selectFrom('invitations').selectAll().where('organization_id', '=', organizationId).where('email', '=', email).execute();
}

/** Invitations that have not expired at `now` (ISO-8601 UTC, which orders as text). */
export async function countOpenInvitations(db: Executor, organizationId: string, now: string): Promise<number> {
  const row = await db
    .selectFrom('invitations')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('organization_id', '=', organizationId)
    .where('expire_at', '>', now)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertInvitation(db: Executor, row: InvitationRow): Promise<void> {
  await db.insertInto('invitations').values(row).execute();
}

export async function deleteInvitationRow(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('invitations').where('id', '=', id).execute();
}
