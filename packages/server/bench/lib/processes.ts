import { fork, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { LoadResult, LoadSpec } from '../load-worker.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = `${ROOT}dist/orgplane.mjs`;
const TSX = ['--import', 'tsx'];

export interface Running {
  child: ChildProcess;
  pid: number;
  url: string;
  stop(): Promise<void>;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

/** The real server from the built code, on a free port, rate limit off unless `extra` sets one. */
export async function startOrgplane(databaseUrl: string, extra: string[] = [], cpuProfileDir?: string): Promise<Running & { startedAt: number }> {
  const startedAt = performance.now();
  const rateLimit = extra.includes('--rate-limit') ? [] : ['--rate-limit', 'off'];
  const args = [...(cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : []), CLI, 'serve', '--port', '0', '--database', databaseUrl, ...rateLimit, ...extra];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const match = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${err}`)));
  });
  // Keep draining the request log so the server never blocks on a full pipe.
  child.stdout!.resume();
  return { child, pid: child.pid!, url, startedAt, stop: () => stopChild(child) };
}

/** The bare node:http baseline; `workMicros` of CPU per request makes it the calibration server. */
export async function startBareBaseline(bodyFile: string, workMicros = 0): Promise<Running> {
  const child = spawn(process.execPath, [...TSX, `${ROOT}bench/baselines/bare-http.ts`, bodyFile, String(workMicros)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  return { child, pid: child.pid!, url: `http://127.0.0.1:${String(chunk).trim()}`, stop: () => stopChild(child) };
}

export async function fdatasyncPerSecond(file: string, seconds: number): Promise<number> {
  const child = spawn(process.execPath, [...TSX, `${ROOT}bench/baselines/fdatasync-probe.ts`, file, String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  await once(child, 'exit');
  return JSON.parse(out).syncsPerSecond;
}

/** One load run, generated from a separate process. */
export async function load(spec: LoadSpec): Promise<LoadResult> {
  const worker = fork(`${ROOT}bench/load-worker.ts`, [], { execArgv: TSX, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  worker.send(spec);
  const [result] = (await once(worker, 'message')) as [LoadResult];
  await once(worker, 'exit').catch(() => undefined);
  return result;
}

export function runCli(args: string[]): Promise<string> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  return once(child, 'exit').then(([code]) => {
    if (code !== 0) throw new Error(`orgplane ${args[0]} failed (${code})`);
    return out;
  });
}
