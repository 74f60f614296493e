import { systemActor } from '../../src/domain/actor.js';
import { addServiceRecord } from '../../src/domain/services/service.service.js';
import type { ServiceRecordInput } from '../../src/domain/services/service-record.js';
import type { TestServer } from './server.js';

export interface TestServiceRecord extends Omit<ServiceRecordInput, 'tags'> {
  tags?: Record<string, string>;
}

/** Adds service records to an organization in the given order, as `orgplane services add` does, and answers their IDs. */
export async function addServiceRecords(server: TestServer, organizationId: string, records: readonly TestServiceRecord[]): Promise<string[]> {
  const ids: string[] = [];
  for (const { tags, ...record } of records) {
    const added = await addServiceRecord(server.domain, organizationId, { ...record, tags: Object.entries(tags ?? {}) }, { actor: systemActor('services add') });
    ids.push(added.id);
  }
  return ids;
}
