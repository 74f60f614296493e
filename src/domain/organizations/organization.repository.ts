import type { Executor } from '../../db/executor.js';
import { preparedQuery } from '../../db/prepared-query.js';
import type { NewOrganizationRow, OrganizationRow, PrivateEndpointRow } from './organization.table.js';

export async function insertOrganization(db: Executor, row: NewOrganizationRow): Promise<void> {
  await db.insertInto('organizations').values(row).execute();
}

const organizationById = preparedQuery((db, a: { id: string }) => db.selectFrom('organizations').selectAll().where('id', '=', a.id));

export async function findOrganization(db: Executor, id: string): Promise<OrganizationRow | undefined> {
  return organizationById.first(db, { id });
}

export async function countOrganizations(db: Executor): Promise<number> {
  const { count } = await db.selectFrom('organizations').select((eb) => eb.fn.countAll<string | number>().as('count')).executeTakeFirstOrThrow();
  return Number(count);
}

const endpointsOfOrganization = preparedQuery((db, a: { organizationId: string }) =>
  db.selectFrom('private_endpoints').selectAll().where('organization_id', '=', a.organizationId).orderBy('position'),
);

export async function listPrivateEndpoints(db: Executor, organizationId: string): Promise<PrivateEndpointRow[]> {
  return endpointsOfOrganization.all(db, { organizationId });
}

/**
 * Takes the organization's write lock for the rest of the transaction (a row
 * lock on PostgreSQL; SQLite already serialises writers) and returns the row as
 * it is under that lock, or undefined when it does not exist.
 */
const lockById = preparedQuery((db, a: { id: string }) =>
  db
    .updateTable('organizations')
    .set((eb) => ({ version: eb('version', '+', 1) }))
    .where('id', '=', a.id)
    .returningAll(),
);

export async function lockOrganization(trx: Executor, id: string): Promise<OrganizationRow | undefined> {
  return lockById.first(trx, { id });
}

export type OrganizationFields = Pick<OrganizationRow, 'id' | 'name' | 'enable_core_dumps'>;

const saveFields = preparedQuery((db, a: OrganizationFields) =>
  db.updateTable('organizations').set({ name: a.name, enable_core_dumps: a.enable_core_dumps }).where('id', '=', a.id),
);

/** Writes the organization's editable fields (all of them: one statement shape). */
export async function saveOrganizationFields(trx: Executor, fields: OrganizationFields): Promise<void> {
  await saveFields.execute(trx, fields);
}

export async function deletePrivateEndpoints(trx: Executor, organizationId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await trx.deleteFrom('private_endpoints').where('organization_id', '=', organizationId).where('id', 'in', ids).execute();
}

/** Adds an endpoint, or updates the description of one already registered under that id. */
export async function upsertPrivateEndpoint(trx: Executor, row: PrivateEndpointRow): Promise<void> {
  await trx
    .insertInto('private_endpoints')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['organization_id', 'id']).doUpdateSet({
        description: row.description,
        cloud_provider: row.cloud_provider,
        region: row.region,
      }),
    )
    .execute();
}

export async function nextEndpointPosition(trx: Executor, organizationId: string): Promise<number> {
  const { max } = await trx
    .selectFrom('private_endpoints')
    .select((eb) => eb.fn.max<number | string | null>('position').as('max'))
    .where('organization_id', '=', organizationId)
    .executeTakeFirstOrThrow();
  return max === null ? 0 : Number(max) + 1;
}
