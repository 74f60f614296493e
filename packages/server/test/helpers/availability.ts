import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import type { ServeProcess } from './cli.js';

// The availability tests (test/reliability/pipelining.test.ts, slow-readers.test.ts): abusive
// clients against a real `orgplane serve` process, its RSS read from /proc, while a bystander keeps asking.

/** A bystander request slower than this counts against the server (and is cut off at BYSTANDER_GIVE_UP_MS). */
export const MAX_BYSTANDER_MS = 1500;
const BYSTANDER_GIVE_UP_MS = 5000;
/** The RSS growth SECURITY.md promises under abuse. */
export const MAX_RSS_GROWTH_MB = 300;

export function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
}

/** Resolves on the socket's `event`, its close, or the deadline, whichever comes first. */
export function until(socket: Socket, event: string, deadline: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
    const done = () => (clearTimeout(timer), resolve());
    socket.once(event, done);
    socket.once('close', done);
  });
}

/** Connects (from `localAddress` when given), tracked in `sockets` until it closes. */
export async function openSocket(url: string, sockets: Set<Socket>, deadline: number, localAddress?: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port), ...(localAddress ? { localAddress } : {}) });
  sockets.add(socket);
  socket.on('error', () => {});
  socket.on('close', () => sockets.delete(socket));
  await until(socket, 'connect', deadline);
  return socket;
}

export interface BystanderAsk {
  path: string;
  headers?: Record<string, string>;
  /** At most this often (an authenticated ask stays within its key's rate limit). */
  everyMs: number;
}

export interface Observed {
  latencies: { ms: number; status: number | string; path: string }[];
  baselineMb: number;
  peakMb: number;
}

/**
 * Runs `abuse` for `abuseMs` while a bystander (on 127.0.0.1) makes its asks, each at most every
 * `everyMs`, one at a time. Abuse gets a signal that is aborted at the deadline, or early once the
 * server's RSS has grown far past the bound (the test has failed by then; this spares the machine).
 */
export async function withBystander(
  server: ServeProcess,
  asks: BystanderAsk[],
  abuseMs: number,
  abuse: (signal: AbortSignal) => Promise<unknown>,
  baselineMb = rssMb(server.child.pid!),
): Promise<Observed> {
  const pid = server.child.pid!;
  const deadline = Date.now() + abuseMs;
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), abuseMs);
  const abusing = abuse(stop.signal);
  const latencies: Observed['latencies'] = [];
  const lastAsked = new Map<BystanderAsk, number>();
  let peakMb = baselineMb;
  while (Date.now() < deadline && !stop.signal.aborted) {
    for (const ask of asks) {
      if (Date.now() - (lastAsked.get(ask) ?? 0) < ask.everyMs) continue;
      lastAsked.set(ask, Date.now());
      const started = performance.now();
      let status: number | string;
      try {
        const res = await fetch(`${server.url}${ask.path}`, { headers: ask.headers ?? {}, signal: AbortSignal.timeout(BYSTANDER_GIVE_UP_MS) });
        await res.text();
        status = res.status;
      } catch (err) {
        status = (err as Error).name;
      }
      latencies.push({ ms: Math.round(performance.now() - started), status, path: ask.path });
    }
    peakMb = Math.max(peakMb, rssMb(pid));
    if (peakMb - baselineMb > MAX_RSS_GROWTH_MB * 3) stop.abort();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  peakMb = Math.max(peakMb, rssMb(pid));
  stop.abort();
  clearTimeout(timer);
  await abusing;
  return { latencies, baselineMb, peakMb };
}

/** The 99th percentile of the bystander's latencies, a failed request counting as the longest. */
export function p99(latencies: Observed['latencies']): number {
  const sorted = latencies.map((l) => (l.status === 200 ? l.ms : Infinity)).sort((a, b) => a - b);
  return sorted[Math.ceil(sorted.length * 0.99) - 1]!;
}

/** Every bystander request answered 200 and within MAX_BYSTANDER_MS (p99), and RSS within the bound. */
export function assertBystanderServed({ latencies, baselineMb, peakMb }: Observed, { minRequests = 10 } = {}): void {
  assert.ok(latencies.length >= minRequests, `only ${latencies.length} bystander requests`);
  const failed = latencies.filter((l) => l.status !== 200);
  assert.deepEqual(failed, [], 'bystander requests failed');
  const worst = p99(latencies);
  assert.ok(worst <= MAX_BYSTANDER_MS, `bystander p99 ${worst} ms (slowest: ${JSON.stringify(latencies.reduce((a, b) => (b.ms > a.ms ? b : a)))})`);
  assert.ok(peakMb - baselineMb < MAX_RSS_GROWTH_MB, `RSS grew by ${Math.round(peakMb - baselineMb)} MB (from ${Math.round(baselineMb)} MB)`);
}
