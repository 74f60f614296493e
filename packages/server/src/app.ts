import { randomUUID } from 'node:crypto';
import { METHODS as NODE_METHODS } from 'node:http';
import Fastify, { LogController, type FastifyBaseLogger, type HTTPMethods } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Redis } from 'ioredis';
import { DEFAULT_LIMITS, type ConnectionLimits, type ServerConfig } from './config.js';
import type { DatabaseHandle } from './db/database.js';
import type { Domain } from './domain/domain.js';
import { ApiError } from './domain/errors.js';
import { registerAccessHooks } from './http/access-hook.js';
import { handleClientError } from './http/client-errors.js';
import { createGuardedServer } from './http/connection-guard.js';
import { errorBody } from './http/envelope.js';
import { handleError } from './http/errors.js';
import { lazyCompilersFactory } from './http/lazy-compilers.js';
import { FailedAuthLimiter } from './http/failed-auth-limit.js';
import { createRateLimiter } from './http/rate-limit.js';
import { lazyChildLogger, requestLogHook } from './http/request-log.js';
import type { RouteContext } from './http/route-context.js';
import type { App } from './http/app-instance.js';
import type { EmulatorControls } from './http/controls/controls-context.js';
import { FaultInjector } from './http/controls/fault-injector.js';
import { RequestJournal } from './http/controls/request-journal.js';
import { openApiRoute } from './http/controls/control-requests.js';
import { registerOpenApi } from './http/openapi.js';
import { registerConsoleUi } from './http/console-ui.js';
import { registerControlRoutes, registerRoutes } from './http/routes/index.js';
import { assertWellFormedBody } from './http/well-formed-text.js';
import { refuseWritesAtClockEnd } from './http/clock-end.js';
import { ControlledClock } from './clock.js';
import { REQUEST_AJV_OPTIONS, REQUEST_AJV_PLUGINS } from './schemas/request-validation.js';
import { handleRouterError, MAX_PARAM_LENGTH, quotablePath, refuseConnect } from './http/router-errors.js';

export const BODY_LIMIT_BYTES = 1024 * 1024;

export interface AppDependencies {
  /** Limits not given take DEFAULT_LIMITS; an absent failedAuthLimit is off, like a null one, and so is an absent accessLog. */
  config: Pick<ServerConfig, 'rateLimit' | 'trustProxy'> & Partial<Pick<ServerConfig, 'failedAuthLimit' | 'accessLog'>> & { limits?: Partial<ConnectionLimits> };
  /** The database's pool, for the rate limiter's shared counters. */
  database: Pick<DatabaseHandle, 'pool'>;
  domain: Domain;
  logger: FastifyBaseLogger;
  /** Optional Redis for the shared rate-limit counters. */
  redis?: Redis;
  /** The emulator controls (`serve --controls`); without them /_orgplane/* is 404 and nothing of them runs. */
  controls?: EmulatorControls;
}

/**
 * Every method Node's parser accepts (CONNECT aside: refuseConnect answers it). On a known path
 * those a route does not take answer 405 with Allow; Fastify knows only some of them by default.
 */
const METHODS = NODE_METHODS.filter((m) => m !== 'CONNECT') as HTTPMethods[];

/** Builds the HTTP application without listening, so the server and tests share it. */
export async function buildApp({ config, database, domain, logger, redis, controls }: AppDependencies): Promise<App> {
  const limits: ConnectionLimits = { ...DEFAULT_LIMITS, ...config.limits };
  const app = Fastify({
    loggerInstance: logger,
    // The request line is written by the onResponse hook below (request-log.ts), never with headers or bodies.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    childLoggerFactory: lazyChildLogger,
    genReqId: () => randomUUID(),
    bodyLimit: BODY_LIMIT_BYTES,
    // Slow clients (headers or body trickling in) get a 408 in the envelope and are cut off, idle
    // keep-alive connections are closed, and one client cannot hold every connection or pipeline
    // without bound: see connection-guard.ts.
    serverFactory: (handler) => createGuardedServer(handler, limits, config.trustProxy),
    // Let in-flight and keep-alive requests finish during graceful shutdown instead of Fastify's own 503 body.
    return503OnClosing: false,
    trustProxy: config.trustProxy.length > 0 ? config.trustProxy : false,
    clientErrorHandler: handleClientError,
    frameworkErrors: handleRouterError,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    schemaController: { compilersFactory: lazyCompilersFactory() },
    // The API's request validation, shared with what does not come through a route (request-validation.ts).
    ajv: { customOptions: REQUEST_AJV_OPTIONS, plugins: REQUEST_AJV_PLUGINS },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.server.on('connect', refuseConnect);
  for (const method of METHODS) if (!app.supportedMethods.includes(method)) app.addHttpMethod(method);

  const rateLimiter = config.rateLimit
    ? createRateLimiter(config.rateLimit, { ...(database.pool ? { pool: database.pool } : {}), ...(redis ? { redis } : {}) }, controls?.clock)
    : undefined;
  const failedAuthLimiter = config.failedAuthLimit ? new FailedAuthLimiter(config.failedAuthLimit) : undefined;
  const context: RouteContext = { domain };

  // Only JSON bodies are accepted; anything else is a 415. An empty JSON body is no body (DELETE
  // clients often send the header anyway); routes that need a body then say so via their schema.
  app.removeContentTypeParser(['text/plain', 'application/json']);
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') return done(null, undefined);
    parseJson(request, body as string, (err, parsed) => {
      if (err) return done(err, undefined);
      try {
        assertWellFormedBody(body as string, parsed);
      } catch (invalid) {
        return done(invalid as Error, undefined);
      }
      done(null, parsed);
    });
  });
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(errorBody(404, `No route ${request.method} ${quotablePath(request.url)}`, request.id));
  });

  app.addHook('onResponse', requestLogHook(config.accessLog === true));

  // Other methods on a known path answer 405 (with Allow), not 404.
  const methodsByPath = new Map<string, Set<string>>();
  app.addHook('onRoute', (route) => {
    // The log names a route as the OpenAPI document, the fault rules and the request journal do.
    route.config = { ...route.config, openApiUrl: openApiRoute(route.url) };
    if (route.config.synthesized) return;
    const methods = methodsByPath.get(route.url) ?? new Set<string>();
    for (const m of [route.method].flat()) methods.add(m);
    methodsByPath.set(route.url, methods);
  });
  registerAccessHooks(app, domain, rateLimiter, failedAuthLimiter);

  await registerOpenApi(app, { controls: controls !== undefined });
  // The admin console's files, beside the docs UI (registered by registerOpenApi); like it, hidden from the document.
  registerConsoleUi(app);

  await registerRoutes(app, context);
  // --clock without --controls runs the same clock, which can reach the end of the instant range too.
  if (domain.clock instanceof ControlledClock) refuseWritesAtClockEnd(app, domain.clock);
  if (controls) {
    // Root hooks run before every route's own, authentication among them, so a fault answers before it.
    // The journal's hook goes first: once a fault has answered, no later onRequest hook runs.
    const faults = new FaultInjector({ routes: methodsByPath, rateLimit: config.rateLimit });
    const journal = new RequestJournal(controls.clock, (request) => faults.faultOf(request), controls.journalSize);
    journal.install(app);
    faults.install(app);
    // A reset is a clean slate for the next test: nothing of this instance's memory outlives it either.
    const forgetInstanceState = async (apiKeyIds: readonly string[]) => {
      domain.clearCaches();
      failedAuthLimiter?.clear();
      faults.clear();
      journal.clear();
      await rateLimiter?.forget(apiKeyIds);
    };
    await registerControlRoutes(app, { ...controls, domain, forgetInstanceState, faults, journal });
  }

  for (const [url, allowed] of [...methodsByPath]) {
    const missing = METHODS.filter((m) => !allowed.has(m));
    if (missing.length === 0) continue;
    const allow = METHODS.filter((m) => allowed.has(m)).join(', ');
    app.route({
      method: missing,
      url,
      config: { access: 'public', synthesized: true },
      schema: { hide: true },
      onRequest: async () => {
        throw new ApiError('METHOD_NOT_ALLOWED', `Method not allowed; this path supports ${allow}`, { Allow: allow });
      },
      handler: async () => undefined,
    });
  }

  return app;
}
