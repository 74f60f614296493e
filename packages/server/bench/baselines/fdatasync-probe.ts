// Baseline: how many small write+fdatasync cycles per second the filesystem
// under the database sustains. A durable commit needs at least one of these.
import { closeSync, fdatasyncSync, openSync, rmSync, writeSync } from 'node:fs';

const [file, seconds = '3'] = process.argv.slice(2);
const fd = openSync(file!, 'w');
const record = Buffer.alloc(4096, 1);
const end = Date.now() + Number(seconds) * 1000;
let syncs = 0;
while (Date.now() < end) {
  writeSync(fd, record, 0, record.length, (syncs % 64) * record.length);
  fdatasyncSync(fd);
  syncs++;
}
closeSync(fd);
rmSync(file!);
process.stdout.write(`${JSON.stringify({ syncsPerSecond: syncs / Number(seconds) })}\n`);
