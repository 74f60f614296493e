import { Type } from '@sinclair/typebox';
import { organizationMetrics, PROMETHEUS_CONTENT_TYPE } from '../../../domain/services/prometheus.js';
import { OrganizationIdParams } from '../../../schemas/organization.js';
import { PrometheusQuery } from '../../../schemas/prometheus.js';
import { example } from '../../openapi-examples.js';
import { endpoint } from '../../route-context.js';

export default endpoint({
  method: 'GET',
  url: '/organizations/:organizationId/prometheus',
  operationId: 'organizationPrometheusGet',
  summary: "Get the organization's metrics in the Prometheus text format: one ClickHouse_ServiceInfo sample per service",
  tag: 'Prometheus',
  access: 'control-plane:organization:view',
  params: OrganizationIdParams,
  querystring: PrometheusQuery,
  result: Type.String({ description: 'The Prometheus text exposition format (version 0.0.4)' }),
  bare: { contentType: PROMETHEUS_CONTENT_TYPE },
  examples: { result: example.prometheus, badRequest: "Invalid query parameter 'filtered_metrics': must be one of true, false" },
  handler: ({ params, query }, { domain }) => organizationMetrics(domain.db, params.organizationId, query.filtered_metrics === 'true'),
});
