import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/**
 * The vendor's component schemas (test/fixtures/vendor-schemas.json: names,
 * types, enums and formats from its OpenAPI document, no prose), to check
 * that what orgplane answers is what the vendor's clients expect.
 */
const { schemas } = JSON.parse(readFileSync(new URL('../fixtures/vendor-schemas.json', import.meta.url), 'utf8')) as { schemas: Record<string, object> };

const ajv = new Ajv2020.default({ strict: false, allErrors: true });
addFormats.default(ajv);
for (const [name, schema] of Object.entries(schemas)) ajv.addSchema(schema, `#/components/schemas/${name}`);

/** Asserts that `value` is valid as the vendor's schema `name` (e.g. 'RBACRole'), or an array of it with `array`. */
export function assertVendorShape(name: string, value: unknown, options: { array?: boolean } = {}): void {
  const ref = { $ref: `#/components/schemas/${name}` };
  const validate = ajv.compile(options.array ? { type: 'array', items: ref } : ref);
  assert.ok(validate(value), `not a vendor ${name}${options.array ? '[]' : ''}: ${JSON.stringify(validate.errors)}\n${JSON.stringify(value)}`);
}
