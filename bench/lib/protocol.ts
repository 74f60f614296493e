/** Messages between the harness (bench/run.ts) and the load generator (bench/load-worker.ts). */

export interface HttpLoadJob {
  kind: 'http-load';
  /** http://127.0.0.1:PORT */
  url: string;
  method: 'GET' | 'PATCH';
  path: string;
  headers: Record<string, string>;
  connections: number;
  durationSec: number;
  /** PATCH: a different organization name on every request, so each one really changes something. */
  body?: { kind: 'patch-name'; prefix: string };
  /** GET activities: each request picks a random one-day window among these YYYY-MM-DD days. */
  dayWindow?: { days: string[] };
  /** The server whose CPU time is measured over exactly the load window (/proc/PID/stat). */
  serverPid: number;
  /** Upper bound on raw timings kept (reservoir-sampled beyond it). */
  maxSamples: number;
}

export interface FullListJob {
  kind: 'full-list';
  url: string;
  path: string;
  headers: Record<string, string>;
  serverPid: number;
}

export interface SlowReaderJob {
  kind: 'slow-reader';
  url: string;
  path: string;
  headers: Record<string, string>;
  /** Read this much, then pause the socket (no reads at all) for pauseMs. */
  firstBytes: number;
  pauseMs: number;
  /** Then read slowly: trickleBytes every trickleEveryMs for trickleMs; then at full speed to the end. */
  trickleMs: number;
  trickleBytes: number;
  trickleEveryMs: number;
}

export type Job = HttpLoadJob | FullListJob | SlowReaderJob;

export interface HttpLoadResult {
  kind: 'http-load';
  requests2xx: number;
  non2xx: number;
  statusCounts: Record<string, number>;
  errors: number;
  timeouts: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  samples: number;
  meanResponseBytes: number;
  serverCpuSeconds: number;
  cpuUsPerRequest: number;
}

export interface BodyCheck {
  status: number;
  validJson: boolean;
  jsonError?: string;
  items: number;
  bytes: number;
}

export interface FullListResult extends BodyCheck {
  kind: 'full-list';
  seconds: number;
  firstByteMs: number;
  itemsPerSec: number;
  serverCpuSeconds: number;
}

export interface SlowReaderResult extends BodyCheck {
  kind: 'slow-reader';
  seconds: number;
  /** Milliseconds after the request when the pause started and ended. */
  pauseStartMs: number;
  pauseEndMs: number;
  trickleEndMs: number;
  error?: string;
}

export type JobResult = HttpLoadResult | FullListResult | SlowReaderResult;

export type ToWorker = { type: 'run'; id: number; job: Job };
export type FromWorker =
  | { type: 'ready' }
  | { type: 'phase'; id: number; phase: string }
  | { type: 'result'; id: number; result: JobResult }
  | { type: 'error'; id: number; message: string };
