import type { Readable } from 'node:stream';
import type { Static, TObject, TSchema } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { App } from './app-instance.js';
import type { Caller, RouteAccess } from './caller.js';
import type { OpenApiTag } from './openapi-tags.js';
import { EmptyEnvelope, envelope } from '../schemas/common.js';
import type { MaybePromise } from '../domain/maybe-promise.js';

/** A body the handler streams itself, as its route answers it (see EndpointInput.stream). */
class Streamed {
  constructor(readonly body: Readable) {}
}

const stream = (body: Readable): Streamed => new Streamed(body);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The endpoint's OpenAPI tag and examples, for the document (openapi.ts). */
    tag?: OpenApiTag;
    examples?: EndpointExamples;
  }
}

export interface EndpointInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** The authenticated caller; only routes with access 'public' have none. */
  caller: Caller;
  request: FastifyRequest;
  /** Answers with a body the handler streams itself (it must be the result schema's envelope). */
  stream(body: Readable): Streamed;
}

/** What the OpenAPI document shows for an operation, beside what follows from its schemas and access. */
export interface EndpointExamples {
  /** A request body. */
  body?: unknown;
  /** The `result` of the 200 answer (an operation without a result shows the empty envelope). */
  result?: unknown;
  /** The error of a 400, when it is not the one of a malformed organization ID. */
  badRequest?: string;
  /** The error of a 404, when it is not "Organization not found". */
  notFound?: string;
  /** The error of a 409, for an operation that declares conflicts. */
  conflict?: string;
  /** The error of a 503, when it is not the one of an unreachable database. */
  unavailable?: string;
}

/**
 * One operation: its route, schemas, OpenAPI tag and examples, the access it
 * needs (enforced by access-hook.ts) and a handler that returns only the
 * result. C is what its handler gets besides the request (the domain, for the
 * API's routes), as its second argument.
 */
export interface Endpoint<C, P extends TObject, Q extends TObject, B extends TSchema, R extends TSchema> {
  method: HTTPMethods;
  /** Relative to the scope it is registered in (/v1 for the API). */
  url: string;
  operationId: string;
  summary: string;
  tag: OpenApiTag;
  /** Marks the operation deprecated in the OpenAPI document (as the vendor's is); it is served all the same. */
  deprecated?: boolean;
  access: RouteAccess['access'];
  params?: P;
  querystring?: Q;
  body?: B;
  /** The operation can answer 409 (a name or email already taken); shown in the OpenAPI document. */
  conflicts?: boolean;
  /** A larger body limit than the server's 1 MiB, for the one route that takes whole states (the controls' seed). */
  bodyLimit?: number;
  /** The schema of `result` in the success envelope; without it the route answers with the empty envelope. */
  result?: R;
  /**
   * The answer is the result itself, not wrapped in the envelope: a JSON document served as is, or, with
   * a content type, a text body (Prometheus' exposition format). Errors keep the envelope.
   */
  bare?: { contentType?: string };
  examples?: EndpointExamples;
  /**
   * Gets the request's input and C apart: merging them would cost an object copy per request. Returns the
   * result at once where it is at hand (see MaybePromise), else a promise of it.
   */
  handler(input: EndpointInput<Static<P>, Static<Q>, Static<B>>, context: C): MaybePromise<Static<R> | Streamed | void>;
}

/** An endpoint of any schemas, as the lists of routes hold them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyEndpoint<C> = Endpoint<C, any, any, any, any>;

/** Declares the endpoints that get context C: the identity, for the type checking of the declaration. */
export function endpointsWith<C>() {
  return <P extends TObject, Q extends TObject, B extends TSchema, R extends TSchema>(def: Endpoint<C, P, Q, B, R>): AnyEndpoint<C> => def as AnyEndpoint<C>;
}

/** Registers endpoints: their schemas and access, and a handler whose result is wrapped in the success envelope here. */
export function registerEndpoints<C extends object>(app: App, context: C, endpoints: readonly AnyEndpoint<C>[]): void {
  for (const def of endpoints) registerEndpoint(app, context, def);
}

function registerEndpoint<C extends object>(app: App, context: C, def: AnyEndpoint<C>): void {
  const idParams = Object.entries(def.params?.properties ?? {})
    .filter(([, schema]) => (schema as { format?: string }).format === 'uuid')
    .map(([name]) => name);
  const contentType = def.bare?.contentType;
  /** What the route sends for its handler's result: the result in the success envelope, or bare. */
  const answer = (request: FastifyRequest, reply: FastifyReply, result: unknown): unknown => {
    if (result instanceof Streamed) return reply.type('application/json; charset=utf-8').send(result.body);
    if (def.bare) {
      if (contentType) void reply.type(contentType);
      return result;
    }
    return def.result ? { status: 200, requestId: request.id, result } : { status: 200, requestId: request.id };
  };
  (app as unknown as FastifyInstance).route({
    method: def.method,
    url: def.url,
    config: { access: def.access, idParams, conflicts: def.conflicts ?? false, tag: def.tag, examples: def.examples },
    ...(def.bodyLimit ? { bodyLimit: def.bodyLimit } : {}),
    schema: {
      operationId: def.operationId,
      summary: def.summary,
      ...(def.deprecated ? { deprecated: true } : {}),
      ...(def.params ? { params: def.params } : {}),
      ...(def.querystring ? { querystring: def.querystring } : {}),
      ...(def.body ? { body: def.body } : {}),
      ...(def.result || !def.bare ? { response: { 200: successSchema(def) } } : {}),
    },
    handler: (request: FastifyRequest, reply: FastifyReply) => {
      const input = { params: request.params, query: request.query, body: request.body, caller: request.caller!, request, stream };
      const result = def.handler(input, context);
      // Fastify sends what a handler returns, or what its promise resolves to: a result at hand goes out without waiting for a promise.
      return result instanceof Promise ? result.then((settled) => answer(request, reply, settled)) : answer(request, reply, result);
    },
  });
}

function successSchema(def: AnyEndpoint<unknown>): unknown {
  if (!def.bare) return def.result ? envelope(def.result) : EmptyEnvelope;
  const mediaType = def.bare.contentType?.split(';')[0];
  return mediaType ? { content: { [mediaType]: { schema: def.result } } } : def.result;
}
