import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { challengeFor } from './auth-challenge.js';
import { errorBody } from './envelope.js';
import { PATTERN_MESSAGES } from './schemas.js';

/** The one code → HTTP status table. */
const STATUS = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_TIMEOUT: 408,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_REQUESTS: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof STATUS;

/** The one error type the application throws on purpose; its message is shown to the client. */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string | number> = {},
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

export const UNAUTHORIZED_MESSAGE = 'Authentication failed: provide a valid, enabled API key with HTTP Basic authentication';

export function unauthorized(): ApiError {
  return new ApiError('UNAUTHORIZED', UNAUTHORIZED_MESSAGE, { 'WWW-Authenticate': 'Basic realm="orgplane"' });
}

export function badRequest(message: string): ApiError {
  return new ApiError('BAD_REQUEST', message);
}

/** Human path for an Ajv instancePath: /privateEndpoints/add/0/id → privateEndpoints.add[0].id */
function fieldPath(instancePath: string, child?: string): string {
  const parts = instancePath.split('/').filter(Boolean);
  if (child !== undefined) parts.push(child);
  return parts.reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
}

interface AjvIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** Turns a schema validation failure into a message that names the offending field. */
function validationMessage(error: FastifyError): string {
  const issue = (error.validation as AjvIssue[] | undefined)?.[0];
  const where = error.validationContext === 'querystring' ? 'query parameter' : error.validationContext === 'params' ? 'path parameter' : 'field';
  if (!issue) return 'Invalid request';
  switch (issue.keyword) {
    case 'additionalProperties':
      return `Unknown ${where} '${fieldPath(issue.instancePath, String(issue.params.additionalProperty))}'`;
    case 'required':
      return `Missing required ${where} '${fieldPath(issue.instancePath, String(issue.params.missingProperty))}'`;
    case 'enum':
      return `Invalid ${where} '${fieldPath(issue.instancePath)}': must be one of ${(issue.params.allowedValues as unknown[]).join(', ')}`;
    case 'format':
      return `Invalid ${where} '${fieldPath(issue.instancePath)}': must be a valid ${String(issue.params.format)}`;
    case 'pattern':
      return `Invalid ${where} '${fieldPath(issue.instancePath)}': ${PATTERN_MESSAGES[String(issue.params.pattern)] ?? 'has the wrong format'}`;
    case 'type':
      if (issue.instancePath === '' && where === 'field') return 'Request body must be a JSON object';
      return `Invalid ${where} '${fieldPath(issue.instancePath)}': must be ${String(issue.params.type)}`;
    default:
      return `Invalid ${where} '${fieldPath(issue.instancePath)}': ${issue.message ?? 'invalid value'}`;
  }
}

/** Fastify's own errors (parser, limits, routing) mapped onto the table. */
function frameworkError(error: FastifyError): ApiError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError('PAYLOAD_TOO_LARGE', 'Request body is larger than the 1 MiB limit');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError('UNSUPPORTED_MEDIA_TYPE', 'Unsupported content type: send application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return badRequest('Request body is empty: send a JSON object');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return badRequest('Request body is not valid JSON');
    case 'FST_ERR_CTP_INVALID_TYPE':
      return badRequest('Invalid Content-Type header');
  }
  if (error.validation) return badRequest(validationMessage(error));
  if (error instanceof SyntaxError || error.statusCode === 400) return badRequest('Request body is not valid JSON');
  if (error.statusCode === 413) return new ApiError('PAYLOAD_TOO_LARGE', 'Request body is larger than the 1 MiB limit');
  if (error.statusCode === 415) return new ApiError('UNSUPPORTED_MEDIA_TYPE', 'Unsupported content type: send application/json');
  return undefined;
}

// Errors that mean "the database is not reachable right now" rather than a bug:
// network errors, SQLite lock time-outs, PostgreSQL admin shutdown / cancel / connection / idle-in-transaction
// exceptions, and node-postgres's own code-less connection messages.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'SQLITE_BUSY',
  '57P01', '57P02', '57P03', '57014', '08000', '08001', '08003', '08004', '08006', '53300', '25P03',
]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended|Query read timeout|enableOfflineQueue|Connection is closed/;

function isUnavailable(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) || (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message));
}

// PostgreSQL refuses text it cannot store (e.g. a NUL byte) where SQLite would not: the input's fault, not ours.
const UNSTORABLE_TEXT_CODES = new Set(['22021', '22P05']);

export function toApiError(error: unknown): ApiError | undefined {
  if (error instanceof ApiError) return error;
  if (UNSTORABLE_TEXT_CODES.has(String((error as { code?: unknown }).code))) return badRequest('Invalid input: contains characters that cannot be stored');
  if (isUnavailable(error)) return new ApiError('UNAVAILABLE', 'The service is temporarily unavailable; retry shortly');
  const fastifyError = error as FastifyError;
  if (typeof fastifyError?.code === 'string' || fastifyError?.validation) return frameworkError(fastifyError);
  return undefined;
}

/** The one error handler: every error leaves the server in the envelope with the request's id. */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  let apiError = toApiError(error);
  if (!apiError) {
    // Unexpected: the client gets a generic message, the log gets the real error with the requestId.
    request.log.error({ err: error }, 'unhandled error');
    apiError = new ApiError('INTERNAL', 'Internal server error');
  } else if (apiError.code === 'UNAVAILABLE') {
    request.log.warn({ err: { message: (error as Error).message, code: (error as { code?: string }).code } }, 'database unavailable');
  }
  reply.code(apiError.status).headers(challengeFor(request, apiError.headers)).send(errorBody(apiError.status, apiError.message, request.id));
}
