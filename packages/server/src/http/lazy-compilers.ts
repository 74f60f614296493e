import { AjvCompiler, type ValidatorFactory } from '@fastify/ajv-compiler';
import { SerializerSelector, type SerializerFactory } from '@fastify/fast-json-stringify-compiler';

/**
 * Fastify's own validator and serializer compilers, compiling each route
 * schema on its first use instead of at start-up.
 *
 * Fastify compiles every route's validators (Ajv) and every response
 * serializer (fast-json-stringify, one per route and status: each /v1 route
 * declares up to nine error statuses) before it listens. That was a large
 * part of start-up (docs/PERFORMANCE.md, "Start-up and idle memory"), spent
 * on schemas most processes never use. The compiled
 * functions are the same ones Fastify would build; only the moment changes.
 * A broken schema therefore fails its route's first request (a 500) rather
 * than start-up, which the test suite, calling every route, would catch.
 */
export function lazyCompilersFactory(): { buildValidator: ValidatorFactory; buildSerializer: SerializerFactory } {
  const buildValidator = AjvCompiler();
  const buildSerializer = SerializerSelector();
  return {
    buildValidator: (externalSchemas, options) => {
      const compile = buildValidator(externalSchemas, options);
      return (route) => {
        type Validate = ReturnType<typeof compile>;
        let compiled: Validate | undefined;
        // Fastify reads the validation errors from the function it was given.
        const validate = (data: unknown): boolean => {
          compiled ??= compile(route);
          const valid = compiled(data) as boolean;
          validate.errors = compiled.errors;
          return valid;
        };
        validate.errors = null as Validate['errors'];
        return validate as unknown as Validate;
      };
    },
    buildSerializer: (externalSchemas, options) => {
      const compile = buildSerializer(externalSchemas, options);
      return (route) => {
        let serialize: ReturnType<typeof compile> | undefined;
        return (doc) => (serialize ??= compile(route))(doc);
      };
    },
  };
}
