import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isUnavailableError, isUnstorableTextError } from '../db/errors.js';
import { ApiError, badRequest, unavailable } from '../domain/errors.js';
import { issueMessage, type SchemaIssue } from '../schemas/validation-message.js';
import { errorHeaders } from './auth-challenge.js';
import { errorBody } from './envelope.js';

// Maps every error onto the envelope: the domain's ApiError as it is, Fastify's
// own errors and database failures onto the code table (domain/errors.ts).

/** Turns a schema validation failure into a message that names the offending field. */
function validationMessage(error: FastifyError): string {
  const issue = (error.validation as SchemaIssue[] | undefined)?.[0];
  const where = error.validationContext === 'querystring' ? 'query parameter' : error.validationContext === 'params' ? 'path parameter' : 'field';
  if (!issue) return 'Invalid request';
  if (issue.keyword === 'type' && issue.instancePath === '' && where === 'field') return 'Request body must be a JSON object';
  return issueMessage(issue, where);
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

export function toApiError(error: unknown): ApiError | undefined {
  if (error instanceof ApiError) return error;
  if (isUnstorableTextError(error)) return badRequest('Invalid input: contains characters that cannot be stored');
  if (isUnavailableError(error)) return unavailable();
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
  reply.code(apiError.status).headers(errorHeaders(request, apiError)).send(errorBody(apiError.status, apiError.message, request.id));
}
