import { HttpContext, HttpContextToken } from '@angular/common/http';

/**
 * Marks a call whose 401 means something other than "signed out": a wrong password at login,
 * a used invitation link, or the guard's own check of the session. The auth interceptor leaves
 * those to the caller instead of sending the user to the login page.
 */
export const SKIP_AUTH_REDIRECT = new HttpContextToken<boolean>(() => false);

/** An HttpContext that opts a call out of the 401 redirect. */
export function handles401Itself(): HttpContext {
  return new HttpContext().set(SKIP_AUTH_REDIRECT, true);
}
