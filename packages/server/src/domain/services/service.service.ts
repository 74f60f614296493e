import type { Executor } from '../../db/executor.js';
import type { Initiator } from '../access.js';
import type { Domain } from '../domain.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { changeOrganization } from '../organizations/organization-change.js';
import { findOrganization } from '../organizations/organization.repository.js';
import { UUID_FORMAT } from '../../schemas/common.js';
import { normaliseServiceRecord, toServiceRecord, toServiceRecordRow, type ServiceRecord, type ServiceRecordInput } from './service-record.js';
import { deleteServiceRecordRow, findServiceRecordRow, insertServiceRecordRow, listServiceRecordRows, nextServicePosition } from './service.repository.js';

// Service records change only through the operator (and seeds): no API key
// ever asks, and the vendor's activity types have none for them, so nothing
// is recorded in the activity log.

/** The operator's `services add`: 409 when the organization has a record with that ID already. */
export async function addServiceRecord(domain: Domain, organizationId: string, input: ServiceRecordInput, by: Initiator): Promise<ServiceRecord> {
  const record = normaliseServiceRecord(input, domain.clock.now().toISOString());
  return changeOrganization(domain, organizationId, by, async ({ trx }) => {
    if (await findServiceRecordRow(trx, organizationId, record.id)) {
      throw conflict(`A service record with ID ${record.id} already exists in this organization`);
    }
    await insertServiceRecordRow(trx, toServiceRecordRow(organizationId, record, await nextServicePosition(trx, organizationId)));
    return record;
  });
}

/** The organization's service records, in the order they were added; "not found" for an unknown organization. */
export async function listServiceRecords(db: Executor, organizationId: string): Promise<ServiceRecord[]> {
  const rows = await listServiceRecordRows(db, organizationId);
  if (rows.length === 0 && !(await findOrganization(db, organizationId))) throw notFound('Organization');
  return rows.map(toServiceRecord);
}

/** The operator's `services remove`: answers the record removed. */
export async function removeServiceRecord(domain: Domain, organizationId: string, id: string, by: Initiator): Promise<ServiceRecord> {
  const serviceId = id.toLowerCase();
  if (!UUID_FORMAT.test(serviceId)) throw badRequest(`Invalid field 'id': must be a UUID`);
  return changeOrganization(domain, organizationId, by, async ({ trx }) => {
    const row = await findServiceRecordRow(trx, organizationId, serviceId);
    if (!row) throw notFound('Service record');
    await deleteServiceRecordRow(trx, organizationId, serviceId);
    return toServiceRecord(row);
  });
}
