import { randomUUID } from 'node:crypto';
import { HttpException } from '@nestjs/common';
import { ErrorBody, ErrorType } from '@gatehouse/domain';
import { ApiError, UpstreamError } from './api-error';
import { isDatabaseUnreachable } from './database-errors';

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
  /** Set for failures nobody planned for: the id the client sees and the log line carries. */
  errorId?: string;
  /** Set when the database could not be reached: logged as a warning, not as a fault. */
  databaseUnreachable?: boolean;
}

/** Fastify's own failures (body parsing, limits) that reach us before any handler runs. */
interface FrameworkError {
  statusCode?: number;
  code?: string;
  message?: string;
}

/**
 * Turns anything thrown while serving a request into the contract's error shape.
 * Unplanned failures become a 500 whose message holds only an error id, never internals.
 */
export function toErrorResponse(exception: unknown): ErrorResponse {
  if (exception instanceof ApiError) {
    return respond(exception.status, exception.type, exception.message, exception.param, {
      ...exception.headers,
    });
  }

  if (exception instanceof UpstreamError) {
    return respond(exception.status, exception.type, exception.message);
  }

  if (exception instanceof HttpException) {
    return respond(exception.getStatus(), typeFor(exception.getStatus()), httpMessage(exception));
  }

  const framework = exception as FrameworkError;
  if (isClientError(framework.statusCode)) {
    return respond(
      framework.statusCode,
      typeFor(framework.statusCode),
      frameworkMessage(framework),
    );
  }

  // Not a fault of ours nor of the request: say so, and that trying again will work.
  if (isDatabaseUnreachable(exception)) {
    return {
      ...respond(
        503,
        'service_unavailable',
        'The database is unavailable; try again shortly',
        null,
        {
          'retry-after': '1',
        },
      ),
      databaseUnreachable: true,
    };
  }

  const errorId = randomUUID();
  const response = respond(500, 'internal_server_error', `Internal server error (id ${errorId})`);

  return { ...response, errorId };
}

function respond(
  status: number,
  type: ErrorType,
  message: string,
  param: string | null = null,
  headers: Record<string, string> = {},
): ErrorResponse {
  return { status, headers, body: { error: { message, type, param, code: String(status) } } };
}

function isClientError(status: number | undefined): status is number {
  return typeof status === 'number' && status >= 400 && status < 500;
}

function typeFor(status: number): ErrorType {
  if (status === 401 || status === 403) {
    return 'auth_error';
  }
  if (status === 404) {
    return 'not_found_error';
  }
  if (status === 429) {
    return 'rate_limit_error';
  }
  if (status === 503) {
    return 'service_unavailable';
  }

  return status >= 500 ? 'internal_server_error' : 'bad_request_error';
}

function httpMessage(exception: HttpException): string {
  if (exception.getStatus() >= 500) {
    return 'Internal server error';
  }

  const response = exception.getResponse();
  if (typeof response === 'string') {
    return response;
  }

  const message = (response as { message?: unknown }).message;

  return Array.isArray(message) ? message.join('; ') : String(message ?? exception.message);
}

/** Fastify's messages are safe to show, but a few deserve plainer words. */
function frameworkMessage(error: FrameworkError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'Request body is too large (the limit is 1 MB)';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Unsupported content type: send JSON';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'The JSON body is empty';
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'The body is not valid JSON';
    default:
      break;
  }

  if (error.message?.includes('JSON')) {
    return 'The body is not valid JSON';
  }

  return error.message ?? 'Bad request';
}
