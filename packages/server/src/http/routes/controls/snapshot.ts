import { FixtureSchema } from '../../../domain/fixtures/fixture-schema.js';
import { takeSnapshot } from '../../../domain/fixtures/snapshot.js';
import { controlEndpoint } from '../../controls/controls-context.js';

export default controlEndpoint({
  method: 'GET',
  url: '/snapshot',
  operationId: 'controlsSnapshot',
  summary: 'The whole state as a fixture that seed accepts (key hashes, never secrets)',
  tag: 'Emulator controls',
  access: 'controls',
  result: FixtureSchema,
  handler: async (_, { domain }) => takeSnapshot(domain),
});
