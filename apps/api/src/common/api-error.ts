import { ErrorType } from '@gatehouse/domain';

/**
 * The failures the API reports on purpose. Each code has one HTTP status and one
 * contract error type, mapped in `ERRORS` and turned into a response by the error filter.
 */
export const ERRORS = {
  invalid_input: { status: 400, type: 'bad_request_error' },
  unauthenticated: { status: 401, type: 'auth_error' },
  key_blocked: { status: 401, type: 'auth_error' },
  key_expired: { status: 401, type: 'expired_key' },
  key_model_access_denied: { status: 401, type: 'key_model_access_denied' },
  csrf_failed: { status: 403, type: 'auth_error' },
  forbidden: { status: 403, type: 'auth_error' },
  not_found: { status: 404, type: 'not_found_error' },
  payload_too_large: { status: 413, type: 'bad_request_error' },
  budget_exceeded: { status: 429, type: 'budget_exceeded' },
  rate_limited: { status: 429, type: 'rate_limit_error' },
  unavailable: { status: 503, type: 'service_unavailable' },
} as const satisfies Record<string, { status: number; type: ErrorType }>;

export type ErrorCode = keyof typeof ERRORS;

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly param: string | null = null,
    /** Extra response headers, such as `Retry-After`. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  get status(): number {
    return ERRORS[this.code].status;
  }

  get type(): ErrorType {
    return ERRORS[this.code].type;
  }

  static badRequest(message: string, param: string | null = null): ApiError {
    return new ApiError('invalid_input', message, param);
  }

  static notFound(message: string, param: string | null = null): ApiError {
    return new ApiError('not_found', message, param);
  }

  static forbidden(message = 'You are not allowed to do this'): ApiError {
    return new ApiError('forbidden', message);
  }

  static unauthenticated(message = 'Authentication required'): ApiError {
    return new ApiError('unauthenticated', message);
  }
}

/**
 * A failure of an LLM upstream, passed on with the upstream's status (or 502 when it could
 * not be reached, 504 when it did not answer in time).
 */
export class UpstreamError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: ErrorType = status === 504 ? 'timeout_error' : 'upstream_error',
  ) {
    super(message);
  }
}
