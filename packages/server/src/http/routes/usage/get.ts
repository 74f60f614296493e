import { Readable } from 'node:stream';
import { getUsageCost, type UsageCostReport } from '../../../domain/usage/usage.service.js';
import { USAGE_METRICS } from '../../../vocabulary/usage.js';
import { OrganizationIdParams } from '../../../schemas/organization.js';
import { UsageCostQuery, UsageCostSchema } from '../../../schemas/usage.js';
import { example } from '../../openapi-examples.js';
import { endpoint } from '../../route-context.js';

/** Below V8's large-object size, as json-array-stream.ts explains. */
const CHUNK_CHARS = 32 * 1024;

/**
 * The answer written by hand rather than by the schema's serializer: the
 * amounts are exact decimal text, and written as that text they are JSON
 * numbers with no digit lost to binary floating point on the way.
 */
function usageCostBody(requestId: string, report: UsageCostReport): Readable {
  return Readable.from(
    (function* body() {
      let chunk = `{"status":200,"requestId":${JSON.stringify(requestId)},"result":{"grandTotalCHC":${report.grandTotalCHC},"costs":[`;
      let separator = '';
      for (const c of report.costs) {
        const metrics = USAGE_METRICS.filter((name) => c.metrics[name] !== undefined)
          .map((name) => `"${name}":${c.metrics[name]}`)
          .join(',');
        chunk +=
          `${separator}{"dataWarehouseId":"${c.dataWarehouseId}","serviceId":${c.serviceId === null ? 'null' : `"${c.serviceId}"`},` +
          `"date":"${c.date}","entityType":"${c.entityType}","entityId":"${c.entityId}","entityName":${JSON.stringify(c.entityName)},` +
          `"metrics":{${metrics}},"totalCHC":${c.totalCHC},"locked":${c.locked}}`;
        separator = ',';
        if (chunk.length >= CHUNK_CHARS) {
          yield chunk;
          chunk = '';
        }
      }
      yield `${chunk}]}}`;
    })(),
    { objectMode: false },
  );
}

export default endpoint({
  method: 'GET',
  url: '/organizations/:organizationId/usageCost',
  operationId: 'usageCostGet',
  summary: 'Get the usage cost of the organization: daily, per-entity records of a period of at most 31 days (UTC), and their grand total',
  tag: 'Billing',
  access: 'control-plane:organization:view-billing',
  params: OrganizationIdParams,
  querystring: UsageCostQuery,
  result: UsageCostSchema,
  examples: {
    result: example.usageCost,
    badRequest: "Invalid query parameter 'to_date': to_date must be at most 30 days after from_date (a period of at most 31 days)",
  },
  handler: async ({ params, query, request, stream }, { domain }) => stream(usageCostBody(request.id, await getUsageCost(domain, params.organizationId, query))),
});
