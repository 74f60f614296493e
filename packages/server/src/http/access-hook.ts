import { isIP } from 'node:net';
import type { FastifyRequest, onRequestHookHandler, preHandlerHookHandler, RouteOptions } from 'fastify';
import { authorize, type Principal } from '../domain/access.js';
import type { Domain } from '../domain/domain.js';
import { ApiError } from '../domain/errors.js';
import { OutsideAllowList } from '../domain/keys/key-verification.js';
import { parseBasic } from './basic-auth.js';
import { actorOf, type Caller } from './caller.js';
import type { Actor } from '../domain/actor.js';
import type { OrganizationPermission } from '../vocabulary/permissions.js';
import type { FailedAuthLimiter } from './failed-auth-limit.js';
import type { KeyRateLimiter } from './rate-limit.js';
import type { App } from './app-instance.js';

/**
 * The client's address: Fastify's, which comes from X-Forwarded-For when the
 * hop is a trusted proxy, unless that is not an IP address at all (garbage in
 * the header), then the socket's: nothing else is checked against allow lists
 * or stored as an actor's address.
 */
function clientAddress(request: FastifyRequest): string {
  return isIP(request.ip) !== 0 ? request.ip : (request.socket.remoteAddress ?? request.ip);
}

/** A request's caller; its actor is made only when something records it (a change's activity), not for every read. */
class RequestCaller implements Caller {
  #actor: Actor | undefined;

  constructor(
    readonly principal: Principal,
    readonly permission: OrganizationPermission,
    private readonly request: FastifyRequest,
  ) {}

  get actor(): Actor {
    return (this.#actor ??= actorOf(this.principal, clientAddress(this.request), this.request.headers['user-agent']));
  }
}

/**
 * Counts a 401 against the address, and tells the operator what the client is
 * not told: that a valid key came from outside its allow list (its suffix,
 * never its ID), and when an address used up its failed-authentication budget.
 */
function failedAuthentication(request: FastifyRequest, address: string, error: ApiError, limiter: FailedAuthLimiter | undefined): void {
  if (error instanceof OutsideAllowList) {
    request.log.warn({ keySuffix: error.keySuffix, address }, 'API key refused: the address is outside its IP allow list');
  }
  if (limiter?.fail(address)) request.log.warn({ address }, 'failed-authentication limit reached: further requests from this address get 429 until the window ends');
}

/**
 * Enforces what each route declares in `config.access`, for every route in
 * one place: as each route is added, it gets the failed-authentication limit,
 * authentication (before the body is read, so anonymous callers never get as
 * far as the parser) and the rate limit on request, then, once the path is
 * validated, ID normalisation, authorization and the caller. Attached per
 * route, so a request pays only for what its route declared.
 */
export function registerAccessHooks(
  app: App,
  domain: Domain,
  rateLimiter: KeyRateLimiter | undefined,
  failedAuthLimiter: FailedAuthLimiter | undefined,
): void {
  // An address over its failed-authentication budget is refused before its credentials cost anything;
  // every 401, whatever its cause, spends that budget (see failed-auth-limit.ts). Callback-style, as
  // a remembered credential is verified without waiting for anything (key-verification.ts).
  const refusal = (request: FastifyRequest, address: string, err: unknown): unknown => {
    if (err instanceof ApiError && err.code === 'UNAUTHORIZED') failedAuthentication(request, address, err, failedAuthLimiter);
    return err;
  };
  // Declared up front, so that every request object has the same shape whether or not its route sets them.
  app.decorateRequest('principal', undefined);
  app.decorateRequest('caller', undefined);
  const refuseKnownOver = rateLimiter ? (apiKeyId: string) => rateLimiter.refuseKnownOver(apiKeyId) : undefined;
  const authenticate: onRequestHookHandler = (request, reply, done) => {
    const address = clientAddress(request);
    const admitted = (principal: Principal) => {
      request.principal = principal;
      if (rateLimiter) rateLimiter.consume(principal.apiKeyId, reply).then(() => done(), done);
      else done();
    };
    let verified: Principal | Promise<Principal>;
    try {
      failedAuthLimiter?.check(address);
      verified = domain.keys.authenticate(request.headers.authorization ?? '', parseBasic, address, refuseKnownOver);
    } catch (err) {
      return done(refusal(request, address, err) as Error);
    }
    if (verified instanceof Promise) verified.then(admitted, (err: unknown) => done(refusal(request, address, err) as Error));
    else admitted(verified);
  };

  app.addHook('onRoute', (route: RouteOptions) => {
    const access = route.config?.access;
    if (access === undefined || access === 'public' || access === 'controls') return;
    const idParams = route.config?.idParams ?? [];
    const identify: preHandlerHookHandler = (request, _reply, done) => {
      const params = request.params as Record<string, string>;
      for (const name of idParams) params[name] = params[name]!.toLowerCase();
      const principal = request.principal!;
      try {
        authorize(principal, params.organizationId, access);
      } catch (err) {
        return done(err as Error);
      }
      request.caller = new RequestCaller(principal, access, request);
      done();
    };
    route.onRequest = [authenticate, ...[route.onRequest ?? []].flat()];
    route.preHandler = [identify, ...[route.preHandler ?? []].flat()];
  });
}
