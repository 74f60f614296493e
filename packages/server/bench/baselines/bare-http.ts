// Baseline: the smallest possible node:http server answering with exactly the
// bytes orgplane returns for the same request. Prints its port on stdout.
//
// An optional second argument makes it spin for that many microseconds of CPU
// per request before answering: the calibration row of the benchmark, showing
// what a given amount of per-request work costs against the bare server.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const body = readFileSync(process.argv[2]!);
const workNs = BigInt(Math.round(Number(process.argv[3] ?? 0) * 1000));
const server = createServer((_req, res) => {
  if (workNs > 0n) {
    const until = process.hrtime.bigint() + workNs;
    while (process.hrtime.bigint() < until);
  }
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
});
