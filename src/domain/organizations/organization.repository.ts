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

const organizationWithEndpoints = preparedQuery((db, a: { id: string }) =>
  db
    .selectFrom('organizations as o')
    .leftJoin('private_endpoints as e', 'e.organization_id', 'o.id')
    .selectAll('o')
    .select([
      'e.id as endpoint_id',
      'e.description as endpoint_description',
      'e.cloud_provider as endpoint_cloud_provider',
      'e.region as endpoint_region',
      'e.position as endpoint_position',
    ])
    .where('o.id', '=', a.id)
    .orderBy('e.position'),
);

/**
 * The organization with its private endpoints in one statement: one round
 * trip on PostgreSQL, and one consistent snapshot without a transaction.
 */
export async function findOrganizationWithEndpoints(
  db: Executor,
  id: string,
): Promise<{ organization: OrganizationRow; endpoints: PrivateEndpointRow[] } | undefined> {
  const rows = await organizationWithEndpoints.all(db, { id });
  const first = rows[0];
  if (!first) return undefined;
  const organization: OrganizationRow = {
    id: first.id,
    name: first.name,
    created_at: first.created_at,
    enable_core_dumps: first.enable_core_dumps,
    version: first.version,
    activity_seq: first.activity_seq,
    activity_hash: first.activity_hash,
  };
  const endpoints: PrivateEndpointRow[] = [];
  for (const r of rows) {
    if (r.endpoint_id === null) continue;
    endpoints.push({
      organization_id: first.id,
      id: r.endpoint_id,
      description: r.endpoint_description!,
      cloud_provider: r.endpoint_cloud_provider!,
      region: r.endpoint_region!,
      position: r.endpoint_position!,
    });
  }
  return { organization, endpoints };
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

/** What a PATCH may change: the editable fields and, with a renamed organization's activities, the chain head. */
export type OrganizationState = Pick<OrganizationRow, 'id' | 'name' | 'enable_core_dumps' | 'activity_seq' | 'activity_hash'>;

const saveState = preparedQuery((db, a: OrganizationState) =>
  db
    .updateTable('organizations')
    .set({ name: a.name, enable_core_dumps: a.enable_core_dumps, activity_seq: a.activity_seq, activity_hash: a.activity_hash })
    .where('id', '=', a.id),
);

/** Writes all of it in one statement (one shape, one round trip), whichever parts changed. */
export async function saveOrganizationState(trx: Executor, state: OrganizationState): Promise<void> {
  await saveState.execute(trx, state);
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
