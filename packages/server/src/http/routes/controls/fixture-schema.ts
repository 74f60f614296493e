import { FixtureSchema } from '../../../domain/fixtures/fixture-schema.js';
import { controlEndpoint } from '../../controls/controls-context.js';

const DOCUMENT = { $schema: 'http://json-schema.org/draft-07/schema#', ...FixtureSchema };

/**
 * The fixture format as a JSON Schema document, served bare (like the OpenAPI
 * document at /v1), so that an editor or a validator can use its URL as is.
 */
export default controlEndpoint({
  method: 'GET',
  url: '/fixture-schema',
  operationId: 'controlsFixtureSchema',
  summary: 'The JSON Schema of the fixture format (the document itself, no envelope)',
  tag: 'Emulator controls',
  access: 'controls',
  bare: {},
  handler: async () => DOCUMENT,
});
