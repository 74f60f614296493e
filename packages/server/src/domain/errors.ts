/**
 * The one error type the application throws on purpose, and the one code →
 * status table. It belongs to no transport: the domain throws it, http/ turns
 * it into the error envelope, the operator CLI into a message and exit code.
 */
const STATUS = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_TIMEOUT: 408,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_REQUESTS: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof STATUS;

/** Its message is shown to the client; `headers` carry what a protocol needs to go with it (Allow, Retry-After). */
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
  return new ApiError('UNAUTHORIZED', UNAUTHORIZED_MESSAGE);
}

export function badRequest(message: string): ApiError {
  return new ApiError('BAD_REQUEST', message);
}

/** `what` is the resource's display name: "Organization", "API key". */
export function notFound(what: string): ApiError {
  return new ApiError('NOT_FOUND', `${what} not found`);
}

export function forbidden(message: string): ApiError {
  return new ApiError('FORBIDDEN', message);
}

export function unavailable(message = 'The service is temporarily unavailable; retry shortly'): ApiError {
  return new ApiError('UNAVAILABLE', message);
}

export function conflict(message: string): ApiError {
  return new ApiError('CONFLICT', message);
}
