import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { TSchema } from '@sinclair/typebox';
import { UUID_FORMAT } from './common.js';

/** How the API validates requests: the options of its Ajv, for the routes (app.ts) and for compileRequestSchema. */
export const REQUEST_AJV_OPTIONS = {
  // Strict: unknown fields are rejected (not stripped), and "1" is not a number.
  removeAdditional: false,
  coerceTypes: false,
  useDefaults: false,
  // The schemas are orgplane's own, fixed and tested: checking them against the meta-schema only slowed
  // the first request and every start that seeds (docs/PERFORMANCE.md).
  validateSchema: false,
} as const;

/**
 * The formats: ajv-formats', with `uuid` replaced, since ajv-formats' also
 * accepts a "urn:uuid:" prefix and IDs must be bare UUIDs. ajv-formats is
 * passed as itself: Fastify recognises it by name and then does not add it
 * again after the override.
 */
export const REQUEST_AJV_PLUGINS: ((ajv: Ajv) => Ajv)[] = [addFormats.default as unknown as (ajv: Ajv) => Ajv, (ajv) => ajv.addFormat('uuid', UUID_FORMAT)];

let ajv: Ajv | undefined;

/**
 * A validator for input that does not come through a route (a fixture file,
 * an operator's change), held to the API's own request validation, so such
 * input is refused exactly where, and with the same message as, a request
 * body would be.
 */
export function compileRequestSchema<T>(schema: TSchema): ValidateFunction<T> {
  if (!ajv) {
    ajv = new Ajv(REQUEST_AJV_OPTIONS);
    for (const plugin of REQUEST_AJV_PLUGINS) plugin(ajv);
  }
  return ajv.compile<T>(schema);
}
