import type { Executor } from '../../db/executor.js';
import { preparedQuery } from '../../db/prepared-query.js';
import { unionRead } from '../../db/union-read.js';
import type { Organization, PrivateEndpoint } from '../../schemas/organization.js';
import { listedByocConfigs } from '../byoc/byoc-state.js';
import type { NewOrganizationRow, OrganizationRow, PrivateEndpointRow } from './organization.table.js';

export async function insertOrganization(db: Executor, row: NewOrganizationRow): Promise<void> {
  await db.insertInto('organizations').values(row).execute();
}

const organizationById = preparedQuery((db, a: { id: string }) => db.selectFrom('organizations').selectAll().where('id', '=', a.id));

export async function findOrganization(db: Executor, id: string): Promise<OrganizationRow | undefined> {
  return organizationById.first(db, { id });
}

const ENDPOINT_COLUMNS = ['id', 'description', 'cloud_provider', 'region'] as const;
const BYOC_COLUMNS = ['id', 'state', 'account_name', 'region_id', 'cloud_provider', 'display_name', 'ready_at', 'terminated_at'] as const;

/** The organization and each of its child collections: a new collection is one more part here and one more field below. */
const organizationParts = unionRead([
  { table: 'organizations', key: 'id', columns: ['id', 'name', 'created_at', 'enable_core_dumps'], numeric: ['enable_core_dumps'] },
  { table: 'private_endpoints', key: 'organization_id', columns: ENDPOINT_COLUMNS, order: 'position' },
  { table: 'byoc_infrastructures', key: 'organization_id', columns: BYOC_COLUMNS, order: 'position' },
]);

type Text<C extends readonly string[]> = Record<C[number], string>;

function toPrivateEndpoint(e: Text<typeof ENDPOINT_COLUMNS>): PrivateEndpoint {
  return { id: e.id, description: e.description, cloudProvider: e.cloud_provider, region: e.region };
}

type ByocColumns = Record<Exclude<(typeof BYOC_COLUMNS)[number], 'ready_at' | 'terminated_at'>, string> & Record<'ready_at' | 'terminated_at', string | null>;

/** An organization's row and child collections as read, before they are shown at an instant. */
export interface OrganizationRows {
  row: Text<['id', 'name', 'created_at', 'enable_core_dumps']>;
  endpoints: Text<typeof ENDPOINT_COLUMNS>[];
  byoc: ByocColumns[];
}

/** The row and every child collection in one statement, one consistent snapshot; undefined when there is no such organization. */
export async function readOrganizationRows(db: Executor, id: string): Promise<OrganizationRows | undefined> {
  const [organizations, endpoints, byoc] = (await organizationParts(db, id)) as [Text<['id', 'name', 'created_at', 'enable_core_dumps']>[], Text<typeof ENDPOINT_COLUMNS>[], ByocColumns[]];
  const row = organizations[0];
  return row ? { row, endpoints, byoc } : undefined;
}

/** The API's Organization as it is at `now` on the server's clock: BYOC infrastructures' states are derived from instants. */
export function organizationAt({ row, endpoints, byoc }: OrganizationRows, now: Date): Organization {
  return {
    id: row.id,
    createdAt: row.created_at,
    name: row.name,
    privateEndpoints: endpoints.map(toPrivateEndpoint),
    byocConfig: listedByocConfigs(byoc, now),
    enableCoreDumps: row.enable_core_dumps === '1',
  };
}

/** The API's Organization at `now`, read in one statement. */
export async function readOrganization(db: Executor, id: string, now: Date): Promise<Organization | undefined> {
  const rows = await readOrganizationRows(db, id);
  return rows && organizationAt(rows, now);
}

/** Every organization, oldest first (the operator's `org list --database`). */
export async function listOrganizations(db: Executor): Promise<Pick<OrganizationRow, 'id' | 'name' | 'created_at'>[]> {
  return db.selectFrom('organizations').select(['id', 'name', 'created_at']).orderBy('created_at').orderBy('id').execute();
}

export async function countOrganizations(db: Executor): Promise<number> {
  const { count } = await db.selectFrom('organizations').select((eb) => eb.fn.countAll<string | number>().as('count')).executeTakeFirstOrThrow();
  return Number(count);
}

const endpointsOfOrganization = preparedQuery((db, a: { organizationId: string }) =>
  db.selectFrom('private_endpoints').select(ENDPOINT_COLUMNS).where('organization_id', '=', a.organizationId).orderBy('position'),
);

export async function listPrivateEndpoints(db: Executor, organizationId: string): Promise<PrivateEndpoint[]> {
  return (await endpointsOfOrganization.all(db, { organizationId })).map(toPrivateEndpoint);
}

/**
 * Takes the organization's write lock for the rest of the transaction (a row
 * lock on PostgreSQL; SQLite already serialises writers) and returns the row as
 * it is under that lock, or undefined when it does not exist. Only
 * changeOrganization calls it.
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

/** What a change may write back: the editable fields and the chain head. */
export type OrganizationState = Pick<OrganizationRow, 'id' | 'name' | 'enable_core_dumps' | 'activity_seq' | 'activity_hash' | 'access_version'>;

const saveState = preparedQuery((db, a: OrganizationState) =>
  db
    .updateTable('organizations')
    .set({ name: a.name, enable_core_dumps: a.enable_core_dumps, activity_seq: a.activity_seq, activity_hash: a.activity_hash, access_version: a.access_version })
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
