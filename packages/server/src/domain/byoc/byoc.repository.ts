import type { Executor } from '../../db/executor.js';
import type { ByocInfrastructureRow } from './byoc.table.js';

/** Every stored row of the organization, listed or not, in creation order. */
export async function listByocRows(db: Executor, organizationId: string): Promise<ByocInfrastructureRow[]> {
  return db.selectFrom('byoc_infrastructures').selectAll().where('organization_id', '=', organizationId).orderBy('position').execute();
}

export async function insertByocRow(trx: Executor, row: ByocInfrastructureRow): Promise<void> {
  await trx.insertInto('byoc_infrastructures').values(row).execute();
}

export async function updateByocRow(trx: Executor, organizationId: string, id: string, fields: Partial<Pick<ByocInfrastructureRow, 'display_name' | 'state' | 'terminated_at'>>): Promise<void> {
  await trx.updateTable('byoc_infrastructures').set(fields).where('organization_id', '=', organizationId).where('id', '=', id).execute();
}

/**
 * Removes the rows terminated at or before `before`: reads no longer list
 * them, so nothing but the table's size tells they are still there.
 */
export async function deleteByocTerminatedBefore(trx: Executor, organizationId: string, before: string): Promise<void> {
  await trx.deleteFrom('byoc_infrastructures').where('organization_id', '=', organizationId).where('terminated_at', 'is not', null).where('terminated_at', '<=', before).execute();
}
