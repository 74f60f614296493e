import { createHash } from 'node:crypto';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { addDays, daysBetween } from '../date-range.js';
import type { Executor } from '../../db/executor.js';
import { formatMicros } from './decimal.js';
import type { UsageMetric } from '../../vocabulary/usage.js';
import type { UsageRecordRow } from './usage.table.js';

// `orgplane usage generate`: plausible usage for an organization's ClickHouse
// service records, so that dashboards and billing tools have data at once.
// Each day of each service draws from its own generator, seeded from the
// seed, the service's ID and the day: the records depend on nothing else, and
// a day's records are the same whatever period they are generated with.

/** Bumping the label would change every generated value and warehouse ID: never do. */
const LABEL = 'orgplane usage generate v1';

/** What generation reads of a service record (services/service-record.ts). */
export interface GeneratedService {
  id: string;
  name: string;
  kind: string;
  state: string;
  tags: Record<string, string>;
}

/** The data warehouse of a generated service: a UUID derived from the service's ID, the same on every run. */
export function warehouseIdOf(serviceId: string): string {
  const h = createHash('sha256').update(`${LABEL}\nwarehouse\n${serviceId}`).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function generatorFor(seed: number, serviceId: string, date: string): RandomGenerator {
  return xoroshiro128plus(createHash('sha256').update(`${LABEL}\n${seed}\n${serviceId}\n${date}`).digest().readInt32BE(0));
}

/** A value between two CHC amounts given in millionths, as decimal text. */
const draw = (rng: RandomGenerator, fromMicros: number, toMicros: number): string => formatMicros(BigInt(uniformInt(rng, fromMicros, toMicros)));

/** How much of a running service's compute a service in each state uses, in percent. */
const COMPUTE_SHARE: Record<string, number> = { running: 100, degraded: 60, awaking: 15, idle: 5, stopped: 0 };

/**
 * Two records per ClickHouse service record and day, from `from` to `to`
 * (dates already checked): the service's own (compute and data transfer)
 * and its data warehouse's (storage and backup). The warehouse record carries
 * the service's tags as its own, so that tag filters find both.
 */
export function generateUsageRows(organizationId: string, services: readonly GeneratedService[], from: string, to: string, seed: number): UsageRecordRow[] {
  const rows: UsageRecordRow[] = [];
  const days = daysBetween(from, to);
  for (let d = 0; d <= days; d++) {
    const date = addDays(from, d);
    for (const service of services) {
      if (service.kind !== 'clickhouse') continue;
      const rng = generatorFor(seed, service.id, date);
      const warehouseId = warehouseIdOf(service.id);
      const share = COMPUTE_SHARE[service.state] ?? 100;
      const serviceMetrics: Partial<Record<UsageMetric, string>> = {
        computeCHC: draw(rng, 0, 120_000_000 * share / 100),
        publicDataTransferCHC: draw(rng, 0, 2_000_000 * share / 100),
        interRegionTier1DataTransferCHC: draw(rng, 0, 500_000 * share / 100),
      };
      const warehouseMetrics: Partial<Record<UsageMetric, string>> = { storageCHC: draw(rng, 1_000_000, 15_000_000), backupCHC: draw(rng, 100_000, 2_000_000) };
      rows.push(
        {
          organization_id: organizationId,
          date,
          entity_id: service.id,
          entity_type: 'service',
          entity_name: service.name,
          data_warehouse_id: warehouseId,
          service_id: service.id,
          metrics: JSON.stringify(serviceMetrics),
          tags: '{}',
        },
        {
          organization_id: organizationId,
          date,
          entity_id: warehouseId,
          entity_type: 'datawarehouse',
          entity_name: [...`${service.name} warehouse`].slice(0, 255).join(''),
          data_warehouse_id: warehouseId,
          service_id: null,
          metrics: JSON.stringify(warehouseMetrics),
          tags: JSON.stringify(service.tags),
        },
      );
    }
  }
  return rows;
}
