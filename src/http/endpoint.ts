import type { Readable } from 'node:stream';
import type { Static, TObject, TSchema } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { Caller, RouteAccess } from './caller.js';
import type { App } from './route-context.js';
import { EmptyEnvelope, envelope } from '../schemas/common.js';

const STREAMED = Symbol('streamed');

export interface EndpointInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** The authenticated caller; only routes with access 'public' have none. */
  caller: Caller;
  request: FastifyRequest;
  /** Answers with a body the handler streams itself (it must be the result schema's envelope). */
  stream(body: Readable): typeof STREAMED;
}

export interface Endpoint<P extends TObject, Q extends TObject, B extends TSchema, R extends TSchema> {
  method: HTTPMethods;
  /** Relative to the scope it is registered in (/v1 for the API). */
  url: string;
  operationId: string;
  summary: string;
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
   * The route answers 200 with a text body of its own format instead of a JSON
   * envelope (the handler returns the text); errors are still JSON envelopes.
   */
  text?: TextResult;
  handler(input: EndpointInput<Static<P>, Static<Q>, Static<B>>): Promise<Static<R> | string | typeof STREAMED | void>;
}

export interface TextResult {
  /** The Content-Type header sent, e.g. `text/plain; version=0.0.4`. */
  contentType: string;
  /** The media type the OpenAPI document lists it under (the vendor's), e.g. `text/plain`. */
  mediaType: string;
  description: string;
}

/** The 200 response of a text route, as the OpenAPI document shows it. */
function textResponse(text: TextResult): object {
  return { description: text.description, content: { [text.mediaType]: { schema: { type: 'string' } } } };
}

/**
 * Registers one operation: its schemas, what access it needs (enforced by
 * access-hook.ts) and a handler that returns only the result, which is wrapped
 * in the success envelope here.
 */
export function endpoint<P extends TObject, Q extends TObject, B extends TSchema, R extends TSchema>(app: App, def: Endpoint<P, Q, B, R>): void {
  const idParams = Object.entries(def.params?.properties ?? {})
    .filter(([, schema]) => (schema as { format?: string }).format === 'uuid')
    .map(([name]) => name);
  (app as unknown as FastifyInstance).route({
    method: def.method,
    url: def.url,
    config: { access: def.access, idParams, conflicts: def.conflicts ?? false },
    ...(def.bodyLimit ? { bodyLimit: def.bodyLimit } : {}),
    schema: {
      operationId: def.operationId,
      summary: def.summary,
      ...(def.deprecated ? { deprecated: true } : {}),
      ...(def.params ? { params: def.params } : {}),
      ...(def.querystring ? { querystring: def.querystring } : {}),
      ...(def.body ? { body: def.body } : {}),
      response: { 200: def.text ? textResponse(def.text) : def.result ? envelope(def.result) : EmptyEnvelope },
    },
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      const result = await def.handler({
        params: request.params as Static<P>,
        query: request.query as Static<Q>,
        body: request.body as Static<B>,
        caller: request.caller!,
        request,
        stream: (body) => {
          void reply.type('application/json; charset=utf-8').send(body);
          return STREAMED;
        },
      });
      if (result === STREAMED) return reply;
      // A string with a non-JSON content type is sent as it is, past the response serializer.
      if (def.text) return reply.type(def.text.contentType).send(result);
      return def.result ? { status: 200, requestId: request.id, result } : { status: 200, requestId: request.id };
    },
  });
}
