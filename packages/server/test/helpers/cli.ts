import { execFile, spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/orgplane', import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs ./bin/orgplane to completion (the built CLI: `npm test` builds first). */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, options: { cwd?: string } = {}): CliResult {
  const result = spawnSync(BIN, args, { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 30_000, ...options });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Runs ./bin/orgplane without blocking this process's event loop: needed when
 * the command talks to a server running inside the test process.
 */
export function runCliAsync(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(BIN, args, { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 30_000 }, (err, stdout, stderr) => {
      const status = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ status, stdout, stderr });
    });
  });
}

export interface ServeProcess {
  child: ChildProcessWithoutNullStreams;
  url: string;
  stdout: () => string;
  stderr: () => string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const started = new Set<ServeProcess>();

/**
 * A copy of the built CLI in `dir`/server (dist/orgplane.mjs and package.json,
 * nothing else of the package: no build/ with the native addon), finding every
 * other package in this repository's node_modules, for startServe's `entry`.
 */
export function copyBuiltCli(dir: string): string {
  mkdirSync(join(dir, 'server', 'dist'), { recursive: true });
  const entry = join(dir, 'server', 'dist', 'orgplane.mjs');
  copyFileSync(fileURLToPath(new URL('../../dist/orgplane.mjs', import.meta.url)), entry);
  copyFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), join(dir, 'server', 'package.json'));
  symlinkSync(realpathSync(fileURLToPath(new URL('../../../../node_modules', import.meta.url))), join(dir, 'node_modules'));
  return entry;
}

/** Stops every server startServe started that is still running (for after() hooks, so a failed test leaves none behind). */
export async function stopAllServers(): Promise<void> {
  await Promise.all([...started].map((s) => s.stop('SIGKILL')));
}

/**
 * Starts `orgplane serve --port 0` and resolves once it logs where it listens;
 * `entry` runs another copy of the built CLI (a bundle placed elsewhere) with node instead of ./bin/orgplane.
 */
export async function startServe(args: string[], env: NodeJS.ProcessEnv = {}, { entry }: { entry?: string } = {}): Promise<ServeProcess> {
  const [command, ...first] = entry ? [process.execPath, entry] : [BIN];
  const child = spawn(command!, [...first, 'serve', '--port', '0', ...args], { env: { ...process.env, ...env } });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${err}`)), 15_000);
    child.stdout.on('data', (d) => {
      out += d;
      const match = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}: ${err}`));
    });
  });
  const serve: ServeProcess = {
    child,
    url,
    stdout: () => out,
    stderr: () => err,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      started.delete(serve);
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = once(child, 'exit');
      child.kill(signal);
      const [code] = await exited;
      return code as number | null;
    },
  };
  started.add(serve);
  return serve;
}
