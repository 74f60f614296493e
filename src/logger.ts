import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Structured JSON logs. Request lines are written explicitly (see app.ts) and
 * carry no headers or bodies; the redaction below is a second guard for any
 * object that might still carry one into an error log.
 */
export function createLogger(destination?: DestinationStream, level = 'info'): Logger {
  return pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: ['req.headers.authorization', 'headers.authorization', 'authorization', '*.authorization', 'body', '*.body', 'keySecret', 'keyId', '*.keySecret', '*.keyId'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
