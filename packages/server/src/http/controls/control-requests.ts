import type { FastifyRequest } from 'fastify';

/** Where the emulator controls are served. */
export const CONTROLS_PREFIX = '/_orgplane';

/** Whether a path (or a route in Fastify's form) is one of the controls'. */
export function isControlsPath(path: string): boolean {
  return path === CONTROLS_PREFIX || path.startsWith(`${CONTROLS_PREFIX}/`);
}

/**
 * Whether a request is for the controls themselves: by its route when it has
 * one (the router decodes the path, so the raw URL could spell the prefix
 * differently), else by its path. Faults never answer these and the journal
 * does not record them, so a test can always reach its controls.
 */
export function isControlRequest(request: FastifyRequest): boolean {
  return isControlsPath(request.routeOptions.url ?? request.url.split('?', 1)[0]!);
}

/** A route as the OpenAPI document writes it (`/v1/organizations/{organizationId}`), from Fastify's `:param` form. */
export function openApiRoute(fastifyUrl: string): string {
  return fastifyUrl.replace(/:(\w+)/g, '{$1}');
}

/** Fastify's form of a route written as in the OpenAPI document. */
export function fastifyRoute(openApiUrl: string): string {
  return openApiUrl.replace(/\{(\w+)\}/g, ':$1');
}
