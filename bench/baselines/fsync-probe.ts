/**
 * Baseline: the raw durable-write rate of a filesystem. Writes a small record
 * and calls fdatasync in a loop for N seconds, then prints one JSON line
 * {syncs, seconds, syncsPerSec, p50Ms, p99Ms}. A SQLite commit in WAL mode with
 * synchronous=FULL needs at least one such sync, so this is the ceiling a
 * one-commit-per-request server cannot beat without batching commits.
 *
 * usage: fsync-probe.ts <directory> <seconds>
 */
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const [dir = '.', secondsArg = '5'] = process.argv.slice(2);
const seconds = Number(secondsArg);
const workDir = mkdtempSync(join(dir, 'fsync-probe-'));
const file = join(workDir, 'probe.dat');
const fd = openSync(file, 'w+');
// Preallocate and sync once, so the loop overwrites existing blocks (like a reused WAL) rather than growing the file.
const SLOT = 4096;
const SLOTS = 1024;
writeSync(fd, Buffer.alloc(SLOT * SLOTS), 0, SLOT * SLOTS, 0);
fdatasyncSync(fd);

const record = Buffer.alloc(512, 0x61);
const latencies: number[] = [];
const start = performance.now();
const end = start + seconds * 1000;
let syncs = 0;
let now = start;
while (now < end) {
  record.writeUInt32LE(syncs, 0);
  writeSync(fd, record, 0, record.length, (syncs % SLOTS) * SLOT);
  fdatasyncSync(fd);
  const after = performance.now();
  latencies.push(after - now);
  now = after;
  syncs++;
}
const elapsed = (now - start) / 1000;
closeSync(fd);
rmSync(workDir, { recursive: true, force: true });
latencies.sort((a, b) => a - b);
const pick = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
process.stdout.write(`${JSON.stringify({ syncs, seconds: elapsed, syncsPerSec: syncs / elapsed, p50Ms: pick(0.5), p99Ms: pick(0.99) })}\n`);
