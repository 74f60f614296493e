import type { Domain } from '../domain/domain.js';
import { endpointsWith } from './endpoint.js';

/** What every route handler may use besides its request, merged into its input. */
export interface RouteContext {
  domain: Domain;
}

/** Declares an endpoint of the API (or a health probe): its handler gets the domain. */
export const endpoint = endpointsWith<RouteContext>();
