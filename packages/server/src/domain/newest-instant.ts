import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * The latest time anything stored says it happened at (an activity, a
 * creation, a change, a key's last use), or undefined on an empty database.
 * The emulator's clock may not move before it: what it writes next would
 * sort before what is already there. A BYOC infrastructure's readyAt is not
 * among them: it lies ahead by design.
 */
export async function newestStoredInstant(db: Kysely<Database>): Promise<string | undefined> {
  const { rows } = await sql<{ newest: string | null }>`
    select max(at) as newest from (
      select max(created_at) as at from activities
      union all select max(created_at) from organizations
      union all select max(used_at) from api_keys
      union all select max(updated_at) from roles
      union all select max(joined_at) from members
      union all select max(created_at) from invitations
      union all select max(created_at) from byoc_infrastructures
      union all select max(terminated_at) from byoc_infrastructures
    ) as stamps`.execute(db);
  return rows[0]?.newest ?? undefined;
}

/** The newest stored timestamp when `at` is before it (the clock may not read `at`), else undefined. */
export async function storedAfter(db: Kysely<Database>, at: number): Promise<string | undefined> {
  const newest = await newestStoredInstant(db);
  return newest !== undefined && at < Date.parse(newest) ? newest : undefined;
}
