import swagger from '@fastify/swagger';
import type { RouteOptions } from 'fastify';
import { registerDocsUi } from './docs-ui.js';
import { applyExamples } from './openapi-examples.js';
import { CONTROLS_TAG, OPENAPI_TAGS } from './openapi-tags.js';
import type { App } from './app-instance.js';
import { ErrorEnvelope } from '../schemas/common.js';

function isPublic(route: RouteOptions): boolean {
  return (route.config?.access ?? 'public') === 'public';
}

/**
 * The error statuses a route can answer, derived from what the route declares:
 * a route with access authenticates (401, 403) and is rate limited (429);
 * every route can fail (500, 503); input can be malformed (400); a route
 * addressing one resource by its ID (the path ends in a parameter) can find
 * none (404); one that declares conflicts can find its name or email taken (409); bodies can be too large or of the wrong type (413, 415).
 */
function errorStatuses(route: RouteOptions): number[] {
  const statuses = new Set<number>([500, 503]);
  const schema = route.schema ?? {};
  if (route.config?.access === 'controls') statuses.add(401);
  else if (!isPublic(route)) [401, 403, 429].forEach((s) => statuses.add(s));
  if (schema.params || schema.querystring || schema.body) statuses.add(400);
  if (schema.body) [413, 415].forEach((s) => statuses.add(s));
  if (/\/:[^/]+$/.test(route.url)) statuses.add(404);
  if (route.config?.conflicts) statuses.add(409);
  return [...statuses].sort();
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Bad request: invalid input; the error names the field.',
  401: 'Missing or invalid credentials, or a key used from outside its IP allow list (the same answer for all).',
  403: 'The key may not do this, or the organization is not the key\'s own.',
  404: 'Not found.',
  409: 'Conflict: the name or email is already taken.',
  413: 'Request body over 1 MiB.',
  415: 'Unsupported content type (send application/json).',
  429: "Rate limit exceeded: the key's (see X-RateLimit-Reset), or too many failed authentications from this address; retry after Retry-After seconds.",
  500: 'Internal error.',
  503: 'The database is unreachable; retry shortly.',
};

/**
 * The OpenAPI 3.1 document, generated from the same route schemas that
 * validate requests and serialise responses, plus the docs UI at /docs
 * (docs-ui.ts).
 * Must be registered before the routes it describes. The emulator controls
 * are described (under their own tag) only when they are served.
 */
export async function registerOpenApi(app: App, { controls }: { controls: boolean }): Promise<void> {
  // Error envelopes are added to each route's schema here, once, instead of in every route file.
  app.addHook('onRoute', (route) => {
    if (!route.schema || route.schema.hide) return;
    const response = (route.schema.response ?? {}) as Record<number, unknown>;
    for (const status of errorStatuses(route)) {
      response[status] ??= { ...ErrorEnvelope, description: DESCRIPTIONS[status] };
    }
    route.schema.response = response;
    if (route.config?.tag) route.schema.tags = [route.config.tag];
    if (route.config) applyExamples(route.schema, route.config);
    if (route.config?.access === 'controls') {
      route.schema.security = [{ controlsToken: [] }, {}];
      route.schema.description = 'An emulator control: served only with `serve --controls`; needs `Authorization: Bearer <token>` when the server has a `--controls-token`.';
    } else if (isPublic(route)) route.schema.security = [];
    else route.schema.description = `Requires an API key whose roles grant \`${route.config!.access}\`.`;
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'orgplane — ClickHouse Cloud Organization API',
        version: '1.0',
        description: 'A self-hostable implementation of the Organization API. Authenticate with HTTP Basic: key ID as user name, key secret as password.',
      },
      tags: OPENAPI_TAGS.filter((tag) => controls || tag.name !== CONTROLS_TAG).map((tag) => ({ ...tag })),
      components: {
        securitySchemes: {
          basicAuth: { type: 'http', scheme: 'basic' },
          ...(controls ? { controlsToken: { type: 'http', scheme: 'bearer', description: 'The `--controls-token` of the server.' } } : {}),
        },
      },
      security: [{ basicAuth: [] }],
    },
  });
  registerDocsUi(app);

  // Like the vendor's API root: the document itself, no envelope, no authentication.
  app.get('/v1', { schema: { hide: true } }, async () => app.swagger());
}
