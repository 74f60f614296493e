import { authorize } from '../domain/access.js';
import type { Domain } from '../domain/domain.js';
import { unauthorized } from '../domain/errors.js';
import { parseBasic } from './basic-auth.js';
import { actorOf } from './caller.js';
import type { KeyRateLimiter } from './rate-limit.js';
import type { App } from './route-context.js';

/**
 * Enforces what each route declares in `config.access`, for every route in
 * one place: authentication (before the body is read, so anonymous callers
 * never get as far as the parser) and the rate limit on request, then, once
 * the path is validated, ID normalisation, authorization and the caller.
 */
export function registerAccessHooks(app: App, domain: Domain, rateLimiter: KeyRateLimiter | undefined): void {
  app.addHook('onRequest', async (request, reply) => {
    const { access } = request.routeOptions.config;
    if (access === undefined || access === 'public') return;
    const credentials = parseBasic(request.headers.authorization);
    if (!credentials) throw unauthorized();
    request.principal = await domain.keys.verify(credentials.keyId, credentials.secret, request.ip);
    if (rateLimiter) await rateLimiter.consume(request.principal.apiKeyId, reply);
  });

  app.addHook('preHandler', async (request) => {
    const { access, idParams } = request.routeOptions.config;
    if (access === undefined || access === 'public') return;
    const params = request.params as Record<string, string>;
    for (const name of idParams ?? []) params[name] = params[name]!.toLowerCase();
    const principal = request.principal!;
    authorize(principal, params.organizationId, access);
    request.caller = { principal, actor: actorOf(principal, request.ip, request.headers['user-agent']) };
  });
}
