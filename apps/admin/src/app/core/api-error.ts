import { HttpErrorResponse } from '@angular/common/http';
import { ErrorBody } from '@gatehouse/domain';

/**
 * A failed API call in words. The API answers every failure as `{error: {message, ...}}`;
 * the console shows `message` next to the action that failed.
 */
export class ApiError extends Error {
  constructor(
    message: string,
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    /** The request field the API blamed, when it named one. */
    readonly param: string | null = null,
    readonly type: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Turns whatever an HTTP call failed with into an ApiError with a readable message. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) {
    return err;
  }

  if (!(err instanceof HttpErrorResponse)) {
    return new ApiError(err instanceof Error ? err.message : 'Something went wrong.', -1);
  }

  if (err.status === 0) {
    return new ApiError('Cannot reach the Gatehouse server. Check the connection and retry.', 0);
  }

  const body = readErrorBody(err.error);
  if (body) {
    return new ApiError(body.message, err.status, body.param ?? null, body.type ?? null);
  }

  const text = typeof err.error === 'string' && err.error.length < 300 ? err.error.trim() : '';

  return new ApiError(text || `The request failed (${err.status} ${err.statusText}).`, err.status);
}

/** The message to show for a failure of any kind. */
export function errorMessage(err: unknown): string {
  return toApiError(err).message;
}

function readErrorBody(body: unknown): (Partial<ErrorBody['error']> & { message: string }) | null {
  if (!body || typeof body !== 'object') {
    return null;
  }

  const inner = (body as { error?: unknown }).error;
  if (
    inner &&
    typeof inner === 'object' &&
    typeof (inner as ErrorBody['error']).message === 'string'
  ) {
    return inner as ErrorBody['error'];
  }

  // Framework-level failures (a proxy in front, a validation pipe) may use a flat shape.
  const flat =
    (body as { message?: unknown; detail?: unknown }).message ??
    (body as { detail?: unknown }).detail;

  return typeof flat === 'string' ? { message: flat } : null;
}
