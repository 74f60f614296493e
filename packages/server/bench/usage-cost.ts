// The usage-cost scenario: one GET of a 31-day period of 200 entities (6,200
// records, summed exactly), the records imported first with `orgplane usage
// import` as an operator would. Reports p99 and the server's CPU per request.
import { writeFileSync } from 'node:fs';
import { runCli } from './lib/processes.js';

export const USAGE_DAYS = 31;
export const USAGE_ENTITIES = 200;
const FROM = '2026-01-01';
const TO = '2026-01-31';

const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/**
 * Half the entities are services (compute, data transfer), half their data
 * warehouses (storage, backup), each with a tag, so the answer has the
 * shape of a real one.
 */
function usageLines(): string {
  const lines: string[] = [];
  for (let day = 1; day <= USAGE_DAYS; day++) {
    const date = `2026-01-${String(day).padStart(2, '0')}`;
    for (let e = 0; e < USAGE_ENTITIES / 2; e++) {
      const service = uuid(2 * e + 1);
      const warehouse = uuid(2 * e + 2);
      const tags = { env: e % 2 === 0 ? 'prod' : 'dev' };
      const value = (base: number) => ((base + e + day) / 7).toFixed(6);
      lines.push(
        JSON.stringify({ date, entityType: 'service', entityId: service, entityName: `service ${e}`, dataWarehouseId: warehouse, serviceId: service, metrics: { computeCHC: value(50), publicDataTransferCHC: value(1) }, tags }),
        JSON.stringify({ date, entityType: 'datawarehouse', entityId: warehouse, entityName: `warehouse ${e}`, dataWarehouseId: warehouse, metrics: { storageCHC: value(10), backupCHC: value(2) }, tags }),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Imports the records into the seeded organization and answers the URL of the one request to time. */
export async function prepareUsageCost(databaseUrl: string, organizationId: string, serverUrl: string, work: string): Promise<string> {
  const file = `${work}/usage.jsonl`;
  writeFileSync(file, usageLines());
  await runCli(['usage', 'import', file, '--org', organizationId, '--database', databaseUrl, '--json']);
  return `${serverUrl}/v1/organizations/${organizationId}/usageCost?from_date=${FROM}&to_date=${TO}`;
}
