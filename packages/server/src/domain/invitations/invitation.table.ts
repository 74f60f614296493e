import type { Selectable } from 'kysely';

/** The roles an invitation will give are role assignments of the actor `invitation/<id>`. */
export interface InvitationTable {
  id: string;
  organization_id: string;
  /** Lower case. */
  email: string;
  created_at: string;
  expire_at: string;
}

export type InvitationRow = Selectable<InvitationTable>;
