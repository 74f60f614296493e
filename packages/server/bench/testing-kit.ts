// What one startOrgplane() server costs a test suite, for choosing between a
// server per test file and one shared server (README, "Testing your client
// against orgplane"): importing orgplane/testing and the first start in a
// fresh process, later starts in a warm one, and the memory each further
// server adds. Needs a build (npm run build).
//
//   node --import tsx packages/server/bench/testing-kit.ts [--runs N]
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startOrgplane } from 'orgplane/testing';
import { median, percentile } from './lib/process-stats.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' }, fresh: { type: 'string', default: '5' } } });
const RUNS = Number(values.runs);
const FRESH = Number(values.fresh);
// The package root: there `orgplane/testing` resolves to this build, as in a test file of the package.
const SERVER_DIR = fileURLToPath(new URL('..', import.meta.url));

/** Runs an ES module body in a fresh node and returns the JSON it prints. */
function fresh<T>(body: string, nodeArgs: string[] = []): T {
  const out = execFileSync(process.execPath, [...nodeArgs, '--input-type=module', '-e', body], { cwd: SERVER_DIR, encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(out.trim().split('\n').pop()!) as T;
}

const COLD = `
const t0 = performance.now();
const { startOrgplane } = await import('orgplane/testing');
const imported = performance.now() - t0;
const t1 = performance.now();
const op = await startOrgplane();
const started = performance.now() - t1;
await op.stop();
console.log(JSON.stringify({ imported, started }));
`;

// What a test file does with its server: a reset and a few calls, so each one has served requests.
const MEMORY = `
const settle = async () => { for (let i = 0; i < 3; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 50)); } };
const bare = (await settle(), process.memoryUsage());
const { startOrgplane } = await import('orgplane/testing');
const servers = [];
const use = async (op) => {
  await op.controls.POST('/_orgplane/reset');
  const path = { organizationId: op.organizationId };
  await op.client.POST('/v1/organizations/{organizationId}/keys', { params: { path }, body: { name: 'bench', roles: ['developer'] } });
  await op.client.GET('/v1/organizations/{organizationId}/keys', { params: { path } });
  await op.client.GET('/v1/organizations/{organizationId}/roles', { params: { path } });
};
const mib = (n) => n / 1048576;
const grow = async (to) => { while (servers.length < to) { const op = await startOrgplane(); await use(op); servers.push(op); } await settle(); return process.memoryUsage(); };
const before = (await settle(), process.memoryUsage());
const one = await grow(1);
const eight = await grow(8);
for (const op of servers) await op.stop();
console.log(JSON.stringify({ bare: mib(bare.rss), base: mib(before.rss), one: mib(one.rss), eight: mib(eight.rss), heapOne: mib(one.heapUsed), heapEight: mib(eight.heapUsed) }));
`;

const ms = (n: number) => `${n.toFixed(0)} ms`;
const mib = (n: number) => `${n.toFixed(1)} MiB`;

// Fresh processes: the import and first start a test file pays, with plain node and under tsx (as a .ts test file runs).
for (const [label, args] of [['node', []], ['node --import tsx', ['--import', 'tsx']]] as const) {
  const cold = Array.from({ length: FRESH }, () => fresh<{ imported: number; started: number }>(COLD, [...args]));
  console.log(`${label}: import('orgplane/testing') in a fresh process, median of ${FRESH}: ${ms(median(cold.map((c) => c.imported)))} (${cold.map((c) => c.imported.toFixed(0)).join(', ')})`);
  console.log(`${label}: first startOrgplane() in a fresh process, median of ${FRESH}: ${ms(median(cold.map((c) => c.started)))} (${cold.map((c) => c.started.toFixed(0)).join(', ')})`);
}

// A warm process: the starts after the first, each server stopped before the next.
await (await startOrgplane()).stop();
const starts: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  const op = await startOrgplane();
  starts.push(performance.now() - t0);
  await op.stop();
}
const sorted = [...starts].sort((a, b) => a - b);
console.log(`startOrgplane() after the first, ${RUNS} starts: median ${ms(median(starts))}, p90 ${ms(percentile(sorted, 90))}, min ${ms(sorted[0]!)}, max ${ms(sorted.at(-1)!)}`);

// Memory: 1 server, then 8 in one process, after a GC.
const memory = Array.from({ length: 3 }, () =>
  fresh<{ bare: number; base: number; one: number; eight: number; heapOne: number; heapEight: number }>(MEMORY, ['--expose-gc']),
);
const perServer = memory.map((m) => (m.eight - m.one) / 7);
const heapPerServer = memory.map((m) => (m.heapEight - m.heapOne) / 7);
console.log(`RSS, 3 fresh processes: bare node ${memory.map((m) => mib(m.bare)).join(', ')}; after the import ${memory.map((m) => mib(m.base)).join(', ')}; with 1 server ${memory.map((m) => mib(m.one)).join(', ')}; with 8 ${memory.map((m) => mib(m.eight)).join(', ')}`);
console.log(`RSS per further server (8 − 1, / 7): median ${mib(median(perServer))} (${perServer.map((n) => n.toFixed(1)).join(', ')}); JS heap per further server ${mib(median(heapPerServer))}`);
