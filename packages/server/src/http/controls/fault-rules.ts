import { badRequest } from '../../domain/errors.js';
import type { FaultRuleSpec, FaultRuleState } from '../../schemas/controls.js';
import { fastifyRoute, isControlsPath, openApiRoute } from './control-requests.js';

/** The server's routes in Fastify's form (`/v1/organizations/:organizationId`), with the methods each takes. */
export type RouteTable = ReadonlyMap<string, ReadonlySet<string>>;

/** A rule as stored (defaults filled in), without its counts. */
export type FaultRuleDefinition = Omit<FaultRuleState, 'fired' | 'remaining'>;

/** A rule ready to match requests against, and how often it has fired. */
export interface FaultRule {
  definition: FaultRuleDefinition;
  /** The route in Fastify's form, compared with `request.routeOptions.url`; undefined matches any route. */
  routeKey: string | undefined;
  fired: number;
}

/** Statuses whose answers tell the client when to come back. */
const RETRY_AFTER_STATUSES = new Set([429, 503]);
const DEFAULT_RETRY_AFTER_SECONDS = 1;

/**
 * Checks what the schema cannot (fields that go together, routes and methods
 * this server has) and fills in the defaults. A route the server does not
 * have would never fire, which a test would take for a client that copes, so
 * it is refused instead, as is a method no route takes.
 */
export function compileRules(specs: FaultRuleSpec[], routes: RouteTable): FaultRule[] {
  return specs.map((spec, i) => compileRule(spec, `rules[${i}]`, routes));
}

function compileRule(spec: FaultRuleSpec, at: string, routes: RouteTable): FaultRule {
  const kind = spec.kind ?? 'status';
  if (kind === 'status' && spec.status === undefined) throw badRequest(`Missing required field '${at}.status': a status rule answers with it`);
  if (kind !== 'status') {
    for (const field of ['status', 'retryAfterSeconds', 'message'] as const) {
      if (spec[field] !== undefined) throw badRequest(`Invalid field '${at}.${field}': only a status rule answers, a ${kind} rule does not`);
    }
  }
  if (kind === 'latency' && spec.latencyMs === undefined) throw badRequest(`Missing required field '${at}.latencyMs': a latency rule only delays`);
  const retries = spec.status !== undefined && RETRY_AFTER_STATUSES.has(spec.status);
  if (spec.retryAfterSeconds !== undefined && !retries) throw badRequest(`Invalid field '${at}.retryAfterSeconds': only 429 and 503 answers carry Retry-After`);
  const routeKey = spec.route === undefined ? undefined : knownRoute(spec.route, `${at}.route`, routes);
  if (spec.method !== undefined) assertMethodTaken(spec.method, `${at}.method`, routeKey, routes);

  const definition: FaultRuleDefinition = {
    ...(spec.method !== undefined ? { method: spec.method } : {}),
    ...(spec.route !== undefined ? { route: spec.route } : {}),
    kind,
    ...(spec.status !== undefined ? { status: spec.status } : {}),
    latencyMs: spec.latencyMs ?? 0,
    probability: spec.probability ?? 1,
    ...(spec.times !== undefined ? { times: spec.times } : {}),
    ...(retries ? { retryAfterSeconds: spec.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS } : {}),
    ...(spec.message !== undefined ? { message: spec.message } : {}),
  };
  return { definition, routeKey, fired: 0 };
}

/** The route's Fastify form, when the server has it and it is not one of the controls. */
function knownRoute(route: string, field: string, routes: RouteTable): string {
  const key = fastifyRoute(route);
  // Fastify's own `:param` form would convert to itself; only the document's form is accepted.
  if (openApiRoute(key) !== route) throw badRequest(`Invalid field '${field}': write the route as the OpenAPI document at GET /v1 does, with {param} for parameters`);
  if (isControlsPath(key)) throw badRequest(`Invalid field '${field}': the controls themselves cannot be given faults`);
  if (!routes.has(key)) throw badRequest(`Invalid field '${field}': this server has no route ${JSON.stringify(route)} (write it as the OpenAPI document at GET /v1 does)`);
  return key;
}

function assertMethodTaken(method: string, field: string, routeKey: string | undefined, routes: RouteTable): void {
  if (routeKey !== undefined) {
    if (!routes.get(routeKey)!.has(method)) throw badRequest(`Invalid field '${field}': the route does not take ${JSON.stringify(method)} (it takes ${[...routes.get(routeKey)!].join(', ')})`);
    return;
  }
  if (![...routes.values()].some((methods) => methods.has(method))) throw badRequest(`Invalid field '${field}': no route of this server takes ${JSON.stringify(method)}`);
}
