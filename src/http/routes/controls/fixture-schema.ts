import { FixtureSchema } from '../../../domain/fixtures/fixture-schema.js';
import type { App } from '../../route-context.js';

const DOCUMENT = { $schema: 'http://json-schema.org/draft-07/schema#', ...FixtureSchema };

/**
 * The fixture format as a JSON Schema document, served bare (like the OpenAPI
 * document at /v1), so that an editor or a validator can use its URL as is.
 */
export function registerFixtureSchema(app: App): void {
  app.route({
    method: 'GET',
    url: '/fixture-schema',
    config: { access: 'controls' },
    schema: { operationId: 'controlsFixtureSchema', summary: 'The JSON Schema of the fixture format (the document itself, no envelope)' },
    handler: async () => DOCUMENT,
  });
}
