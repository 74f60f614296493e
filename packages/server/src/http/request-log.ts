import type { FastifyBaseLogger, FastifyReply, FastifyRequest, onResponseHookHandler } from 'fastify';
import type { Bindings, ChildLoggerOptions, LogFn } from 'pino';

/** A request that took at least this long is logged even with the access log off. */
export const SLOW_REQUEST_MS = 1000;

/**
 * The request's logger, made only when something is logged: Fastify asks for a
 * child logger on every request, and building one (its bindings serialised)
 * was a visible share of a GET that logs nothing (docs/PERFORMANCE.md).
 */
class LazyChildLogger implements FastifyBaseLogger {
  private made?: FastifyBaseLogger;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  private get logger(): FastifyBaseLogger {
    return (this.made ??= this.parent.child(this.bindings, this.options));
  }

  get level(): string {
    return this.made?.level ?? this.options.level ?? this.parent.level;
  }

  set level(level: string) {
    this.logger.level = level;
  }

  // Methods, not arrow-function fields: those would be seven closures made for every request.
  fatal(...args: Parameters<LogFn>): void {
    this.logger.fatal(...args);
  }
  error(...args: Parameters<LogFn>): void {
    this.logger.error(...args);
  }
  warn(...args: Parameters<LogFn>): void {
    this.logger.warn(...args);
  }
  info(...args: Parameters<LogFn>): void {
    this.logger.info(...args);
  }
  debug(...args: Parameters<LogFn>): void {
    this.logger.debug(...args);
  }
  trace(...args: Parameters<LogFn>): void {
    this.logger.trace(...args);
  }
  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.logger.child(bindings, options);
  }
}

/** Fastify's childLoggerFactory: the per-request logger, made lazily. */
export function lazyChildLogger(logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  return new LazyChildLogger(logger, bindings, options);
}

/**
 * The request line: always for an error (4xx, 5xx) and a slow request, and
 * for every request with the access log on. It names the route as the
 * OpenAPI document does and never carries headers or bodies.
 */
export function requestLogHook(accessLog: boolean): onResponseHookHandler {
  return (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const status = reply.statusCode;
    const elapsed = reply.elapsedTime;
    const slow = elapsed >= SLOW_REQUEST_MS;
    if (accessLog || status >= 400 || slow) {
      const line = {
        method: request.method,
        route: request.routeOptions.config.openApiUrl ?? null,
        status,
        durationMs: Math.round(elapsed * 100) / 100,
        keySuffix: request.principal?.keySuffix,
      };
      if (status >= 500 || slow) request.log.warn(line, 'request');
      else request.log.info(line, 'request');
    }
    done();
  };
}
