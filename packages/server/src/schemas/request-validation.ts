import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { TSchema } from '@sinclair/typebox';
import { UUID_FORMAT } from './common.js';

let ajv: Ajv | undefined;

/**
 * A validator for input that does not come through a route (a fixture file,
 * an operator's change) with the options and formats of the API's own
 * request validation (app.ts): strict, no coercion, no defaults. So such
 * input is refused exactly where, and with the same message as, a request
 * body would be. validateSchema is off, as in app.ts: the schemas are
 * orgplane's own, and checking them against the meta-schema would only add
 * its compilation to every start that uses one.
 */
export function compileRequestSchema<T>(schema: TSchema): ValidateFunction<T> {
  if (!ajv) {
    ajv = new Ajv({ allErrors: false, removeAdditional: false, coerceTypes: false, useDefaults: false, validateSchema: false });
    addFormats.default(ajv);
    ajv.addFormat('uuid', UUID_FORMAT);
  }
  return ajv.compile<T>(schema);
}
