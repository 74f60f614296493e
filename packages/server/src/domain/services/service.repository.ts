import type { Executor } from '../../db/executor.js';
import { preparedQuery } from '../../db/prepared-query.js';
import type { ServiceRecordRow } from './service.table.js';

const servicesOfOrganization = preparedQuery((db, a: { organizationId: string }) =>
  db.selectFrom('service_records').selectAll().where('organization_id', '=', a.organizationId).orderBy('position'),
);

/** The organization's service records in the order they were added. */
export async function listServiceRecordRows(db: Executor, organizationId: string): Promise<ServiceRecordRow[]> {
  return servicesOfOrganization.all(db, { organizationId });
}

export async function findServiceRecordRow(db: Executor, organizationId: string, id: string): Promise<ServiceRecordRow | undefined> {
  return db.selectFrom('service_records').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
}

export async function insertServiceRecordRow(db: Executor, row: ServiceRecordRow): Promise<void> {
  await db.insertInto('service_records').values(row).execute();
}

export async function deleteServiceRecordRow(db: Executor, organizationId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('service_records').where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function nextServicePosition(db: Executor, organizationId: string): Promise<number> {
  const { max } = await db
    .selectFrom('service_records')
    .select((eb) => eb.fn.max<number | string | null>('position').as('max'))
    .where('organization_id', '=', organizationId)
    .executeTakeFirstOrThrow();
  return max === null ? 0 : Number(max) + 1;
}

const countsByKind = preparedQuery((db, a: { organizationId: string }) =>
  db
    .selectFrom('service_records')
    .select(['kind', (eb) => eb.fn.countAll<string | number>().as('count')])
    .where('organization_id', '=', a.organizationId)
    .groupBy('kind'),
);

/** How many service records of each kind the organization has (kinds it has none of are absent). */
export async function countServiceRecordsByKind(db: Executor, organizationId: string): Promise<Map<string, number>> {
  return new Map((await countsByKind.all(db, { organizationId })).map((r) => [r.kind, Number(r.count)]));
}
