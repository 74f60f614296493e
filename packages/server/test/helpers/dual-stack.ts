import { Writable } from 'node:stream';
import { buildApp } from '../../src/app.js';
import type { Clock } from '../../src/clock.js';
import type { RateLimitConfig } from '../../src/config.js';
import { createDomain } from '../../src/domain/create-domain.js';
import { createLogger } from '../../src/logger.js';
import type { TestServer } from './server.js';

/**
 * Another listener for the same database on the dual-stack wildcard address "::",
 * so the suite can connect over IPv6 ([::1]) and see IPv4 clients as IPv4-mapped
 * (::ffff:127.0.0.1), as a server bound to :: does in production. Its log lines
 * are appended to server.logs (they are scanned for secrets too).
 */
export async function listenDualStack(
  server: TestServer,
  options: { clock?: Clock; rateLimit?: RateLimitConfig | null } = {},
): Promise<{ v4: { url: string }; v6: { url: string }; close(): Promise<void> }> {
  const sink = new Writable({
    write(chunk, _enc, done) {
      server.logs.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const app = await buildApp({
    config: { rateLimit: options.rateLimit ?? null, trustProxy: [] },
    database: server.database,
    domain: createDomain(server.database, options.clock ?? { now: () => new Date() }),
    logger: createLogger(sink),
  });
  await app.listen({ host: '::', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { v4: { url: `http://127.0.0.1:${port}` }, v6: { url: `http://[::1]:${port}` }, close: () => app.close() };
}
