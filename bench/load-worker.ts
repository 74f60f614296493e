/**
 * The load generator, in its own process so it never shares an event loop
 * with the server or the harness. The harness forks it once (IPC channel),
 * sends jobs ({type:'run', id, job}) and gets one result per job.
 *
 * HTTP load goes through autocannon's programmatic API; every response's
 * timing (fractional milliseconds, from the 'response' event) is kept raw so
 * percentiles are exact rather than autocannon's whole-millisecond histogram.
 */
import { request } from 'node:http';
import autocannon from 'autocannon';
import { JsonStreamCheck } from './lib/json-stream-check.js';
import { cpuWindow } from './lib/proc.js';
import type { FromWorker, FullListJob, FullListResult, HttpLoadJob, HttpLoadResult, JobResult, SlowReaderJob, SlowReaderResult, ToWorker } from './lib/protocol.js';

function send(message: FromWorker): void {
  process.send!(message);
}

/** Keeps at most `capacity` timings: all of them while they fit, a uniform reservoir sample beyond. */
class Timings {
  private readonly values: Float64Array;
  private count = 0;
  private seen = 0;
  sum = 0;
  max = 0;

  constructor(capacity: number) {
    this.values = new Float64Array(capacity);
  }

  add(ms: number): void {
    this.seen++;
    this.sum += ms;
    if (ms > this.max) this.max = ms;
    if (this.count < this.values.length) {
      this.values[this.count++] = ms;
    } else {
      const j = Math.floor(Math.random() * this.seen);
      if (j < this.values.length) this.values[j] = ms;
    }
  }

  percentiles(qs: number[]): number[] {
    const sorted = this.values.subarray(0, this.count).sort();
    return qs.map((q) => (this.count === 0 ? NaN : sorted[Math.min(this.count - 1, Math.max(0, Math.ceil(q * this.count) - 1))]!));
  }

  get samples(): number {
    return this.count;
  }
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function httpLoad(job: HttpLoadJob): Promise<HttpLoadResult> {
  const timings = new Timings(job.maxSamples);
  let counter = 0;
  let bytes = 0;
  let responses = 0;
  const random = mulberry32(0x5eed);
  const base = { method: job.method, path: job.path, headers: job.headers };
  const requests = [
    {
      ...base,
      setupRequest: (req: typeof base & { body?: string }) => {
        if (job.body?.kind === 'patch-name') req.body = JSON.stringify({ name: `${job.body.prefix} ${counter++}` });
        if (job.dayWindow) {
          const day = job.dayWindow.days[Math.floor(random() * job.dayWindow.days.length)]!;
          req.path = `${job.path}?from_date=${day}&to_date=${day}`;
        }
        return req;
      },
    },
  ];
  const needsSetup = job.body !== undefined || job.dayWindow !== undefined;
  const cpu = cpuWindow(job.serverPid);
  const started = performance.now();
  const result = await new Promise<Parameters<Parameters<typeof autocannon>[1] & {}>[1]>((resolve, reject) => {
    const instance = autocannon(
      {
        url: job.url,
        connections: job.connections,
        pipelining: 1,
        duration: job.durationSec,
        timeout: 30,
        ...(needsSetup ? { requests } : base),
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    instance.on('response', (_client: unknown, _status: number, resBytes: number, responseTime: number) => {
      timings.add(responseTime);
      bytes += resBytes;
      responses++;
    });
  });
  const seconds = (performance.now() - started) / 1000;
  const serverCpuSeconds = cpu.end();
  const statusCounts: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) statusCounts[code] = count;
  const requests2xx = Object.entries(statusCounts).reduce((n, [code, count]) => (code.startsWith('2') ? n + count : n), 0);
  const [p50, p90, p99] = timings.percentiles([0.5, 0.9, 0.99]);
  return {
    kind: 'http-load',
    requests2xx,
    non2xx: result.non2xx,
    statusCounts,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds,
    rps: requests2xx / seconds,
    p50Ms: p50!,
    p90Ms: p90!,
    p99Ms: p99!,
    maxMs: timings.max,
    meanMs: responses ? timings.sum / responses : NaN,
    samples: timings.samples,
    meanResponseBytes: responses ? bytes / responses : 0,
    serverCpuSeconds,
    cpuUsPerRequest: responses ? (serverCpuSeconds * 1e6) / responses : NaN,
  };
}

async function fullList(job: FullListJob): Promise<FullListResult> {
  const cpu = cpuWindow(job.serverPid);
  const started = performance.now();
  let firstByteMs = NaN;
  const check = new JsonStreamCheck();
  const status = await new Promise<number>((resolve, reject) => {
    const req = request(`${job.url}${job.path}`, { headers: job.headers }, (res) => {
      res.on('data', (chunk: Buffer) => {
        if (Number.isNaN(firstByteMs)) firstByteMs = performance.now() - started;
        check.feed(chunk);
      });
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
      res.on('aborted', () => reject(new Error('response aborted by the server')));
    });
    req.on('error', reject);
    req.end();
  });
  const seconds = (performance.now() - started) / 1000;
  const serverCpuSeconds = cpu.end();
  const body = check.end();
  return {
    kind: 'full-list',
    status,
    validJson: body.valid,
    ...(body.error ? { jsonError: body.error } : {}),
    items: body.resultItems,
    bytes: body.bytes,
    seconds,
    firstByteMs,
    itemsPerSec: body.resultItems / seconds,
    serverCpuSeconds,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function slowReader(job: SlowReaderJob, id: number): Promise<SlowReaderResult> {
  const started = performance.now();
  const since = () => performance.now() - started;
  const check = new JsonStreamCheck();
  let pauseStartMs = NaN;
  let pauseEndMs = NaN;
  let trickleEndMs = NaN;
  let status = 0;
  let error: string | undefined;
  await new Promise<void>((resolve) => {
    const req = request(`${job.url}${job.path}`, { headers: job.headers }, (res) => {
      status = res.statusCode ?? 0;
      let read = 0;
      let phase: 'first' | 'paused' | 'trickle' | 'full' = 'first';
      res.on('aborted', () => {
        error = 'response aborted by the server';
      });
      res.on('error', (err) => {
        error = err.message;
      });
      res.on('end', () => resolve());
      res.on('close', () => resolve());
      // Pull mode: read() only as fast as this reader wants; the socket stays paused otherwise.
      const pull = (limit: number): number => {
        let got = 0;
        let chunk: Buffer | null;
        while (got < limit && (chunk = res.read() as Buffer | null) !== null) {
          check.feed(chunk);
          got += chunk.length;
        }
        read += got;
        return got;
      };
      const onReadable = async () => {
        if (phase === 'first') {
          pull(job.firstBytes - read);
          if (read < job.firstBytes) return;
          phase = 'paused';
          pauseStartMs = since();
          send({ type: 'phase', id, phase: 'paused' });
          await sleep(job.pauseMs);
          pauseEndMs = since();
          phase = 'trickle';
          send({ type: 'phase', id, phase: 'trickle' });
          const trickleUntil = performance.now() + job.trickleMs;
          while (performance.now() < trickleUntil && !res.readableEnded) {
            pull(job.trickleBytes);
            await sleep(job.trickleEveryMs);
          }
          trickleEndMs = since();
          phase = 'full';
          send({ type: 'phase', id, phase: 'full' });
          res.on('data', (chunk: Buffer) => check.feed(chunk));
          res.resume();
        }
      };
      res.on('readable', () => {
        if (phase === 'first') void onReadable();
      });
    });
    req.on('error', (err) => {
      error = err.message;
      resolve();
    });
    req.end();
  });
  const body = check.end();
  return {
    kind: 'slow-reader',
    status,
    validJson: body.valid,
    ...(body.error ? { jsonError: body.error } : {}),
    items: body.resultItems,
    bytes: body.bytes,
    seconds: since() / 1000,
    pauseStartMs,
    pauseEndMs,
    trickleEndMs,
    ...(error ? { error } : {}),
  };
}

process.on('message', (message: ToWorker) => {
  if (message.type !== 'run') return;
  const { id, job } = message;
  let run: Promise<JobResult>;
  if (job.kind === 'http-load') run = httpLoad(job);
  else if (job.kind === 'full-list') run = fullList(job);
  else run = slowReader(job, id);
  run.then(
    (result) => send({ type: 'result', id, result }),
    (err: unknown) => send({ type: 'error', id, message: err instanceof Error ? err.message : String(err) }),
  );
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
