// Runs one autocannon load in its own process (so the load generator never
// shares an event loop with a server) and reports raw per-request timings.
import autocannon from 'autocannon';

export interface LoadSpec {
  url: string;
  method: 'GET' | 'PATCH';
  headers: Record<string, string>;
  connections: number;
  durationSeconds: number;
  /** For PATCH: bodies rotate so every request really changes something. */
  bodyPrefix?: string;
}

export interface LoadResult {
  requests: number;
  rps: number;
  non2xx: number;
  errors: number;
  /** Responses by HTTP status, e.g. { "429": 51234 }. */
  statuses: Record<string, number>;
  latenciesMs: number[];
}

process.once('message', async (spec: LoadSpec) => {
  let n = 0;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const instance = autocannon({
    url: spec.url,
    method: spec.method,
    headers: spec.headers,
    connections: spec.connections,
    duration: spec.durationSeconds,
    ...(spec.bodyPrefix
      ? { requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, body: JSON.stringify({ name: `${spec.bodyPrefix} ${n++}` }) }) }] }
      : {}),
  });
  // autocannon's own percentiles are whole milliseconds; keep the raw timings instead (bounded).
  instance.on('response', (_client: unknown, status: number, _bytes: number, responseTimeMs: number) => {
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (latencies.length < 2_000_000) latencies.push(responseTimeMs);
  });
  const result = await instance;
  const report: LoadResult = {
    requests: result.requests.total,
    rps: result.requests.total / (result.duration || spec.durationSeconds),
    non2xx: result.non2xx,
    errors: result.errors,
    statuses,
    latenciesMs: latencies,
  };
  process.send!(report, () => process.exit(0));
});
