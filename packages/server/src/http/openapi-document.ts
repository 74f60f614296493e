import { buildApp } from '../app.js';
import { ControlledClock } from '../clock.js';
import { openDatabase } from '../db/database.js';
import { createDomain } from '../domain/create-domain.js';
import { createLogger } from '../logger.js';

/**
 * The OpenAPI document exactly as GET /v1 of a server with `--controls` serves
 * it (the typed client reaches the controls too), built without a server or a
 * real database (for generating the typed client).
 */
export async function buildOpenApiDocument(): Promise<Record<string, unknown>> {
  const database = openDatabase('sqlite::memory:');
  const clock = new ControlledClock();
  const app = await buildApp({
    config: { rateLimit: null, trustProxy: [] },
    database,
    domain: createDomain(database, clock),
    logger: createLogger(undefined, 'silent'),
    controls: { token: null, clock },
  });
  try {
    await app.ready();
    return app.swagger() as unknown as Record<string, unknown>;
  } finally {
    await app.close();
    await database.close();
  }
}
