import { HttpErrorResponse, HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { catchError, throwError } from 'rxjs';

import { toApiError } from './api-error';
import { SKIP_AUTH_REDIRECT } from './http-context';
import { Session } from './session';

/**
 * The console's HTTP interceptors, in the order they are registered (app.config.ts). The first
 * is outermost: it sees the request first and the response last.
 *
 * 1. apiErrorInterceptor: turns every failure into an ApiError whose message can be shown as
 *    is, so pages never dig through HttpErrorResponse bodies.
 * 2. authRedirectInterceptor: a 401 means the session ended; it sends the user to the login
 *    page with a returnUrl, unless the call opted out (login, onboarding, the guard's check).
 *
 * Angular's own XSRF interceptor (withXsrfConfiguration) runs after these and adds the
 * X-XSRF-TOKEN header to state-changing calls.
 */
export const apiErrorInterceptor: HttpInterceptorFn = (req, next) =>
  next(req).pipe(catchError((err: unknown) => throwError(() => toApiError(err))));

export const authRedirectInterceptor: HttpInterceptorFn = (req, next) => {
  const router = inject(Router);
  const session = inject(Session);

  return next(req).pipe(
    catchError((err: unknown) => {
      const signedOut = err instanceof HttpErrorResponse && err.status === 401;
      if (signedOut && !req.context.get(SKIP_AUTH_REDIRECT)) {
        session.clear();
        const returnUrl = router.url;
        if (!returnUrl.startsWith('/login')) {
          void router.navigate(['/login'], { queryParams: { returnUrl } });
        }
      }

      return throwError(() => err);
    }),
  );
};
