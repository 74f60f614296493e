import { randomInt } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { DEFAULT_RATE_LIMIT, type RateLimitConfig } from '../../config.js';
import { unauthorized, unavailable } from '../../domain/errors.js';
import type { FaultKind, FaultRuleSpec, FaultRuleState } from '../../schemas/controls.js';
import { errorHeaders } from '../auth-challenge.js';
import { errorBody } from '../envelope.js';
import { rateLimitExceeded } from '../rate-limit.js';
import type { App } from '../app-instance.js';
import { isControlRequest } from './control-requests.js';
import { compileRules, type FaultRule, type FaultRuleDefinition, type RouteTable } from './fault-rules.js';

export interface FaultInjectorOptions {
  /** The server's routes, read when rules are set (so it may still be filling when the injector is made). */
  routes: RouteTable;
  /** The server's rate limit (null: off), whose figures a 429 fault shows; the vendor's default when off. */
  rateLimit: RateLimitConfig | null;
}

interface FaultAnswer {
  status: number;
  message: string;
  headers: Record<string, string | number>;
}

/**
 * The fault rules of this instance (in memory) and the hook that applies
 * them. The hook is the first thing a request meets, before authentication,
 * body parsing and the handler, so a faulted request changes nothing and
 * writes no activity; the controls themselves are never faulted.
 */
export class FaultInjector {
  private rules: FaultRule[] = [];
  private seed = randomInt(2 ** 32);
  private draws: RandomGenerator = xoroshiro128plus(this.seed);
  /** What acted on each request, for the journal. */
  private readonly acted = new WeakMap<FastifyRequest, FaultKind>();
  /** Cuts the delays short when the server closes, so that a long latency rule does not hold up its shutdown. */
  private readonly closing = new AbortController();

  constructor(private readonly options: FaultInjectorOptions) {}

  /** Replaces the rules (all or none: a bad rule leaves the old set); the draws start over from the seed. */
  replace(specs: FaultRuleSpec[], seed: number | undefined): { rules: FaultRuleState[]; seed: number } {
    this.rules = compileRules(specs, this.options.routes);
    this.seed = seed ?? randomInt(2 ** 32);
    this.draws = xoroshiro128plus(this.seed);
    return this.state();
  }

  clear(): void {
    this.rules = [];
  }

  state(): { rules: FaultRuleState[]; seed: number } {
    return {
      rules: this.rules.map(({ definition, fired }) => ({
        ...definition,
        fired,
        ...(definition.times !== undefined ? { remaining: definition.times - fired } : {}),
      })),
      seed: this.seed,
    };
  }

  /** The kind of the rule that acted on the request, if one did. */
  faultOf(request: FastifyRequest): FaultKind | undefined {
    return this.acted.get(request);
  }

  /** On the root: root hooks run before every route's own, whenever each was added, so before authentication (access-hook.ts). */
  install(app: App): void {
    app.addHook('onRequest', (request, reply) => this.onRequest(request, reply));
    app.addHook('preClose', async () => this.closing.abort());
  }

  private async onRequest(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    if (this.rules.length === 0 || isControlRequest(request)) return undefined;
    const rule = this.fire(request.method, request.routeOptions.url);
    if (!rule) return undefined;
    const { kind, latencyMs } = rule.definition;
    this.acted.set(request, kind);
    if (latencyMs > 0) await sleep(latencyMs, undefined, { signal: this.closing.signal }).catch(() => undefined);
    if (kind === 'latency') return undefined;
    if (kind === 'reset-connection') {
      // No answer at all, as when a proxy or the network drops the connection: Fastify is told
      // not to send one, and the socket's close lets the connection guard forget the connection.
      reply.hijack();
      request.raw.socket.destroy();
      return reply;
    }
    const answer = this.answer(request, rule.definition);
    return reply.code(answer.status).headers(answer.headers).send(errorBody(answer.status, answer.message, request.id));
  }

  /**
   * The first rule that matches and fires, counted. Spent rules are skipped and
   * a draw is made only for a rule that matches with a probability below 1, so
   * the same seed and the same requests give the same faults.
   */
  private fire(method: string, routeKey: string | undefined): FaultRule | undefined {
    for (const rule of this.rules) {
      const { definition } = rule;
      if (definition.times !== undefined && rule.fired >= definition.times) continue;
      if (definition.method !== undefined && definition.method !== method) continue;
      if (rule.routeKey !== undefined && rule.routeKey !== routeKey) continue;
      if (definition.probability < 1 && uniformFloat64(this.draws) >= definition.probability) continue;
      rule.fired++;
      return rule;
    }
    return undefined;
  }

  /** The error as the server itself would answer it: its message and protocol headers for 401, 429 and 503. */
  private answer(request: FastifyRequest, rule: FaultRuleDefinition): FaultAnswer {
    const status = rule.status!;
    const own = (message: string, headers: Record<string, string | number> = {}) => ({ status, message: rule.message ?? message, headers });
    switch (status) {
      case 401: {
        const error = unauthorized();
        return own(error.message, errorHeaders(request, error));
      }
      case 429: {
        const error = rateLimitExceeded(this.options.rateLimit ?? DEFAULT_RATE_LIMIT, rule.retryAfterSeconds!);
        return own(error.message, error.headers);
      }
      case 503:
        return own(unavailable().message, { 'Retry-After': rule.retryAfterSeconds! });
      case 500:
        return own('Internal server error');
      default:
        return own(STATUS_CODES[status] ?? `Error ${status}`);
    }
  }
}
