import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Domain } from '../domain/domain.js';
import { endpointsWith } from './endpoint.js';

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

/** What every route handler may use besides its request, merged into its input. */
export interface RouteContext {
  domain: Domain;
}

/** Declares an endpoint of the API (or a health probe): its handler gets the domain. */
export const endpoint = endpointsWith<RouteContext>();
