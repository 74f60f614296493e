// Preloaded (`--import`) into the test files a `node --test` run spawns, by
// test/integration/testing-kit-parallel.test.ts: records when each file's
// tests began and ended, so that test can prove files ran at the same time.
// It stays out of the files themselves, which keep the README's pattern word for word.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';

const dir = process.env.ORGPLANE_TEST_FILE_WINDOWS;
// The runner's own process (it alone has --test) runs no test file; each file's process loads this too.
if (dir && !process.execArgv.includes('--test')) {
  const file = process.argv[1] ?? '';
  let start = 0;
  // Registered before the file's own hooks: the window opens before its server starts and closes before it stops.
  before(() => {
    start = Date.now();
  });
  after(() => {
    writeFileSync(join(dir, `${process.pid}.json`), JSON.stringify({ file, start, end: Date.now() }));
  });
}
