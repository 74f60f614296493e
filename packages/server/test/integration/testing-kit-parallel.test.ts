import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

// The README's pattern, one startOrgplane() per test file with a reset before
// each test, must hold when node:test runs files side by side: eight files
// (test/parallel-kit/), each resetting its server and moving its clock and
// asserting exact counts and instants, at --test-concurrency=8, green run
// after run. They would fail together on one shared server; see the kit's
// files for what each exercises.

const SERVER_DIR = fileURLToPath(new URL('../..', import.meta.url));
const KIT_DIR = fileURLToPath(new URL('../parallel-kit', import.meta.url));
const WINDOW_PRELOAD = fileURLToPath(new URL('../helpers/test-file-window.ts', import.meta.url));
const KIT_FILES = readdirSync(KIT_DIR).filter((f) => f.endsWith('.test.ts')).sort();
/** The tests in the kit's files together: a file that stopped early, or one that never ran, lowers it. */
const KIT_TESTS = 27;
/** Runs in a row (ORGPLANE_KIT_PARALLEL_RUNS to change it): a leak between files that shows only now and then needs several. */
const RUNS = Number(process.env.ORGPLANE_KIT_PARALLEL_RUNS ?? 10);
/** Many times a run's length on a busy 2-core machine: only a hung run reaches it. */
const RUN_TIMEOUT_MS = 90_000;

interface Window {
  file: string;
  start: number;
  end: number;
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  windows: Window[];
  ms: number;
}

/** Runs the kit as a user's CI would, each file's test window recorded into a fresh directory. */
async function runKit(): Promise<Run> {
  // Not named orgplane-…: testing-kit.test.ts, running alongside, checks that stop() leaves no orgplane-… file behind.
  const windowsDir = mkdtempSync(join(tmpdir(), 'kit-parallel-windows-'));
  const started = Date.now();
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, ORGPLANE_TEST_FILE_WINDOWS: windowsDir };
    // Set by the runner that runs this file: inherited, it would make the nested runner report to it instead of printing TAP.
    delete env.NODE_TEST_CONTEXT;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--import', WINDOW_PRELOAD, '--test', '--test-concurrency=8', '--test-reporter=tap', ...KIT_FILES.map((f) => join(KIT_DIR, f))],
      { cwd: SERVER_DIR, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    // The whole process group: a hung run must not leave its test files' processes behind.
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), RUN_TIMEOUT_MS);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
    clearTimeout(timer);
    const windows = readdirSync(windowsDir).map((f) => JSON.parse(readFileSync(join(windowsDir, f), 'utf8')) as Window);
    return { code, signal, stdout, stderr, windows, ms: Date.now() - started };
  } finally {
    rmSync(windowsDir, { recursive: true, force: true });
  }
}

/** The most test files whose windows were open at one instant. */
function mostAtOnce(windows: Window[]): number {
  const edges = windows.flatMap((w) => [[w.start, 1] as const, [w.end, -1] as const]);
  // At equal instants an end comes first: touching windows did not overlap.
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let most = 0;
  for (const [, delta] of edges) most = Math.max(most, (open += delta));
  return most;
}

const tapCount = (tap: string, name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tap)?.[1]);

test(`eight test files, each with its own startOrgplane(), pass together at --test-concurrency=8, ${RUNS} runs in a row`, { timeout: RUNS * RUN_TIMEOUT_MS + 10_000 }, async (t) => {
  assert.equal(KIT_FILES.length, 8, `test/parallel-kit holds ${KIT_FILES.join(', ')}`);
  for (let run = 1; run <= RUNS; run++) {
    const result = await runKit();
    const context = `run ${run}/${RUNS}:\n${result.stdout.slice(-4000)}\n${result.stderr.slice(-2000)}`;
    assert.equal(result.signal, null, `killed after ${RUN_TIMEOUT_MS} ms, ${context}`);
    assert.equal(result.code, 0, context);
    assert.equal(tapCount(result.stdout, 'tests'), KIT_TESTS, context);
    assert.equal(tapCount(result.stdout, 'pass'), KIT_TESTS, context);
    assert.equal(tapCount(result.stdout, 'fail'), 0, context);
    assert.equal(tapCount(result.stdout, 'cancelled'), 0, context);
    // Every file ran its tests to the end, each in its own process.
    assert.deepEqual(result.windows.map((w) => w.file.slice(KIT_DIR.length + 1)).sort(), KIT_FILES, context);
    for (const w of result.windows) assert.ok(w.start > 0 && w.end >= w.start, `${w.file}: ${w.start}–${w.end}`);
    // Without overlap the run would prove nothing about parallel files.
    const atOnce = mostAtOnce(result.windows);
    assert.ok(atOnce >= 2, `run ${run}: the files ran one after another (at most ${atOnce} at once)`);
    t.diagnostic(`run ${run}: ${result.ms} ms, up to ${atOnce} of ${KIT_FILES.length} files at once`);
  }
});
