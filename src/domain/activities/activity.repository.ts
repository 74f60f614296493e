import type { Executor } from '../../db/executor.js';
import type { DateRange } from '../date-range.js';
import type { ActivityRow, NewActivityRow } from './activity.table.js';

export async function insertActivity(db: Executor, row: NewActivityRow): Promise<void> {
  await db.insertInto('activities').values(row).execute();
}

/** Newest first; both bounds inclusive. Served by the (organization_id, created_at, id) index. */
export async function listActivities(db: Executor, organizationId: string, range: DateRange): Promise<ActivityRow[]> {
  let query = db.selectFrom('activities').selectAll().where('organization_id', '=', organizationId);
  if (range.from !== undefined) query = query.where('created_at', '>=', range.from);
  if (range.to !== undefined) query = query.where('created_at', '<=', range.to);
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
}

export async function findActivity(db: Executor, organizationId: string, id: string): Promise<ActivityRow | undefined> {
  return db
    .selectFrom('activities')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst();
}
