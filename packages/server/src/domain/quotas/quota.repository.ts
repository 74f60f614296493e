import type { Executor } from '../../db/executor.js';
import { preparedQuery } from '../../db/prepared-query.js';
import type { OrganizationQuotaRow } from './quota.table.js';

const quotasOfOrganization = preparedQuery((db, a: { organizationId: string }) =>
  db.selectFrom('organization_quotas').selectAll().where('organization_id', '=', a.organizationId),
);

/** The operator's settings of the organization's quotas (a quota without one has its default). */
export async function listQuotaRows(db: Executor, organizationId: string): Promise<OrganizationQuotaRow[]> {
  return quotasOfOrganization.all(db, { organizationId });
}

export async function upsertQuotaRow(db: Executor, row: OrganizationQuotaRow): Promise<void> {
  await db
    .insertInto('organization_quotas')
    .values(row)
    .onConflict((oc) => oc.columns(['organization_id', 'quota_code']).doUpdateSet({ applies: row.applies, value: row.value, adjustable: row.adjustable }))
    .execute();
}
