import type { Executor } from '../../db/executor.js';
import type { ServiceRecord } from './service-record.js';
import { listServiceRecords } from './service.service.js';

// The organization's Prometheus endpoint in the text exposition format
// (version 0.0.4). orgplane runs no services, so it has none of their
// measurements: what it can say truthfully is which services exist and in what
// state, the vendor's ClickHouse_ServiceInfo gauge, which both the filtered and
// the full metric lists contain.

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const SERVICE_INFO = 'ClickHouse_ServiceInfo';
const SERVICE_INFO_HELP = 'Information about service, including cluster status and ClickHouse version';

/** A label value as the format requires: backslash, double quote and line feed escaped. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export function renderServiceInfo(organizationId: string, services: readonly ServiceRecord[]): string {
  const lines = [`# HELP ${SERVICE_INFO} ${SERVICE_INFO_HELP}`, `# TYPE ${SERVICE_INFO} gauge`];
  for (const s of services) {
    const labels = [
      ['clickhouse_org', organizationId],
      ['clickhouse_service', s.id],
      ['clickhouse_service_name', s.name],
      ['clickhouse_cluster_status', s.state],
      ['clickhouse_version', s.version],
    ]
      .map(([name, value]) => `${name}="${escapeLabelValue(value!)}"`)
      .join(',');
    lines.push(`${SERVICE_INFO}{${labels}} 1`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The metrics of every service record of the organization, of either kind.
 * `filtered` (the vendor's curated subset) changes nothing here: the one
 * metric orgplane has is in both.
 */
export async function organizationMetrics(db: Executor, organizationId: string, _filtered: boolean): Promise<string> {
  return renderServiceInfo(organizationId, await listServiceRecords(db, organizationId));
}
