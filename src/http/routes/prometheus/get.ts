import { organizationMetrics, PROMETHEUS_CONTENT_TYPE } from '../../../domain/services/prometheus.js';
import { OrganizationIdParams } from '../../../schemas/organization.js';
import { PrometheusQuery } from '../../../schemas/prometheus.js';
import { endpoint } from '../../endpoint.js';
import type { App, RouteContext } from '../../route-context.js';

export function registerGetPrometheus(app: App, { domain }: RouteContext): void {
  endpoint(app, {
    method: 'GET',
    url: '/organizations/:organizationId/prometheus',
    operationId: 'organizationPrometheusGet',
    summary: "Get the organization's metrics in the Prometheus text format: one ClickHouse_ServiceInfo sample per service",
    access: 'control-plane:organization:view',
    params: OrganizationIdParams,
    querystring: PrometheusQuery,
    text: { contentType: PROMETHEUS_CONTENT_TYPE, mediaType: 'text/plain', description: 'Prometheus text exposition format (version 0.0.4)' },
    handler: ({ params, query }) => organizationMetrics(domain.db, params.organizationId, query.filtered_metrics === 'true'),
  });
}
