import type { Selectable } from 'kysely';

export interface MemberTable {
  organization_id: string;
  /** The same for one email in every organization (vendor: "this ID will stay the same"). */
  user_id: string;
  name: string;
  /** Lower case. */
  email: string;
  joined_at: string;
}

export type MemberRow = Selectable<MemberTable>;
