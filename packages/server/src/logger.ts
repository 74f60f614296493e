import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Structured JSON logs. Request lines are written explicitly (see app.ts) and
 * carry no headers or bodies; the redaction below is a second guard for any
 * object that might still carry one into an error log.
 */
export function createLogger(destination?: DestinationStream, level = 'info'): Logger {
  const logger = pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        // Top-level paths only: wildcard paths would be evaluated on every request line.
        paths: ['req.headers.authorization', 'headers.authorization', 'authorization', 'body', 'keySecret', 'keyId'],
        censor: '[redacted]',
      },
    },
    // Buffered stdout: one write per ~4 KiB of log lines instead of one syscall per request.
    // serve flushes it on shutdown (see server.ts); a crash may lose the last few lines.
    destination ?? pino.destination({ dest: 1, sync: false, minLength: 4096 }),
  );
  // …and at least once a second, so a quiet server's lines still show up promptly.
  if (!destination) setInterval(() => logger.flush(), 1000).unref();
  return logger;
}
