/** The error types of the contract, one per family of failures. */
export type ErrorType =
  | 'auth_error'
  | 'bad_request_error'
  | 'not_found_error'
  | 'budget_exceeded'
  | 'rate_limit_error'
  | 'expired_key'
  | 'key_model_access_denied'
  | 'service_unavailable'
  | 'upstream_error'
  | 'timeout_error'
  | 'internal_server_error';

/** Every failure of the API has this shape; `code` is the HTTP status as a string. */
export interface ErrorBody {
  error: {
    message: string;
    type: ErrorType;
    param: string | null;
    code: string;
  };
}
