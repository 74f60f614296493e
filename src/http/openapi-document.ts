import { buildApp } from '../app.js';
import { systemClock } from '../clock.js';
import { openDatabase } from '../db/database.js';
import { createDomain } from '../domain/domain.js';
import { createLogger } from '../logger.js';

/**
 * The OpenAPI document exactly as GET /v1 serves it, built without a server or
 * a real database (for generating the typed client).
 */
export async function buildOpenApiDocument(): Promise<Record<string, unknown>> {
  const database = openDatabase('sqlite::memory:');
  const app = await buildApp({ config: { rateLimit: null, trustProxy: [] }, database, domain: createDomain(database, systemClock), logger: createLogger(undefined, 'silent') });
  try {
    await app.ready();
    return app.swagger() as unknown as Record<string, unknown>;
  } finally {
    await app.close();
    await database.close();
  }
}
