// What one startOrgplane() server costs a test suite, for choosing between a
// server per test file and one shared server (README, "Testing your client
// against orgplane"): importing orgplane/testing and the first start in a
// fresh process (what each test file pays), later starts in a warm one, and
// the memory each further server adds. Each is measured in fresh node
// processes of their own, away from the harness's heap. Needs a build.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
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

// A warm process: the starts after the first, each server stopped before the next.
const WARM = (runs: number) => `
const { startOrgplane } = await import('orgplane/testing');
await (await startOrgplane()).stop();
const starts = [];
for (let i = 0; i < ${runs}; i++) {
  const t0 = performance.now();
  const op = await startOrgplane();
  starts.push(performance.now() - t0);
  await op.stop();
}
console.log(JSON.stringify(starts));
`;

export interface TestingKitCost {
  /** import('orgplane/testing') in a fresh process, plain node and under tsx (as a .ts test file loads it), ms. */
  importMs: number[];
  importUnderTsxMs: number[];
  /** The first startOrgplane() of a fresh process, ms. */
  firstStartMs: number[];
  /** The starts after the first in one process, ms. */
  laterStartMs: number[];
  /** RSS each further server adds ((8 servers − 1) / 7), one figure per fresh process, MiB. */
  rssPerServerMiB: number[];
}

export function measureTestingKit({ fresh: freshRuns, warm }: { fresh: number; warm: number }): TestingKitCost {
  const cold = Array.from({ length: freshRuns }, () => fresh<{ imported: number; started: number }>(COLD));
  const coldTsx = Array.from({ length: Math.min(3, freshRuns) }, () => fresh<{ imported: number; started: number }>(COLD, ['--import', 'tsx']));
  const memory = Array.from({ length: Math.min(3, freshRuns) }, () => fresh<{ one: number; eight: number }>(MEMORY, ['--expose-gc']));
  return {
    importMs: cold.map((c) => c.imported),
    importUnderTsxMs: coldTsx.map((c) => c.imported),
    firstStartMs: cold.map((c) => c.started),
    laterStartMs: fresh<number[]>(WARM(warm)),
    rssPerServerMiB: memory.map((m) => (m.eight - m.one) / 7),
  };
}
