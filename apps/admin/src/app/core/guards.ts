import { inject } from '@angular/core';
import { CanActivateFn, RedirectFunction, Router, UrlTree } from '@angular/router';
import { Action } from '@gatehouse/domain';
import { catchError, map, of } from 'rxjs';

import { Session } from './session';

/** The login page, remembering where to return after signing in. */
export function loginUrl(router: Router, returnUrl: string): UrlTree {
  return router.createUrlTree(['/login'], { queryParams: { returnUrl } });
}

/** Lets signed-in users through; loads the user once from the session cookie. */
export const authGuard: CanActivateFn = (_route, state) => {
  const session = inject(Session);
  const router = inject(Router);
  if (session.user()) {
    return true;
  }

  // Any failure here (401, or a server that is down) ends on the login page, which says why
  // when the user tries to sign in.
  return session.load().pipe(
    map(() => true),
    catchError(() => of(loginUrl(router, state.url))),
  );
};

/**
 * Lets a route through only when the signed-in role may do `action` per the shared matrix.
 * Runs after authGuard on the parent route, so the user is known here.
 */
export function permissionGuard(action: Action): CanActivateFn {
  return () => {
    const session = inject(Session);

    return session.can(action) || inject(Router).createUrlTree(['/keys']);
  };
}

/** `/ui?invitation_id=<id>` is an older form of the onboarding link; everything else: keys. */
export const rootRedirect: RedirectFunction = ({ queryParams }) => {
  const id: unknown = queryParams['invitation_id'];
  if (typeof id === 'string' && id !== '') {
    return inject(Router).createUrlTree(['/onboarding'], { queryParams: { id } });
  }

  return '/keys';
};
