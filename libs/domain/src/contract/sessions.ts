export interface LoginRequest {
  username: string;
  password: string;
}

export interface LoginResponse {
  redirect_url: string;
  token: string;
}

export interface LogoutUrlResponse {
  PROXY_BASE_URL: string;
  PROXY_LOGOUT_URL: string | null;
}

export interface ChangePasswordRequest {
  current_password: string;
  new_password: string;
}

/** The console's session cookie, and the readable cookie and header of its CSRF token. */
export const SESSION_COOKIE = 'gatehouse_session';
export const CSRF_COOKIE = 'XSRF-TOKEN';
export const CSRF_HEADER = 'x-xsrf-token';
