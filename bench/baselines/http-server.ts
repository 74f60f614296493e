/**
 * Baseline: a bare node:http server answering every request with the same
 * bytes orgplane returned for GET /v1/organizations/{id} (captured by the
 * harness at start-up). No routing, no auth, no validation, no logging: the
 * ceiling for one Node.js process on this machine with this load generator.
 *
 * usage: http-server.ts <body-file> <content-type>; prints {"port":N} once listening.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [bodyFile = '', contentType = 'application/json; charset=utf-8'] = process.argv.slice(2);
const body = readFileSync(bodyFile);
const headers = { 'content-type': contentType, 'content-length': String(body.length) };

const server = createServer((_req, res) => {
  res.writeHead(200, headers);
  res.end(body);
});
server.keepAliveTimeout = 72_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
