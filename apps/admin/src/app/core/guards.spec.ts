import { HttpTestingController } from '@angular/common/http/testing';
import { EnvironmentInjector, runInInjectionContext } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import {
  ActivatedRouteSnapshot,
  Router,
  RouterStateSnapshot,
  UrlTree,
  convertToParamMap,
} from '@angular/router';
import { Observable, firstValueFrom, isObservable } from 'rxjs';

import { apiError, makeUser, signInAs, testProviders } from '../../testing/fixtures';
import { authGuard, permissionGuard, rootRedirect } from './guards';

type GuardResult = boolean | UrlTree;

function run(guard: typeof authGuard, url = '/usage'): Promise<GuardResult> {
  const state = { url } as RouterStateSnapshot;
  const result = runInInjectionContext(TestBed.inject(EnvironmentInjector), () =>
    guard({} as ActivatedRouteSnapshot, state),
  );

  return isObservable(result)
    ? firstValueFrom(result as Observable<GuardResult>)
    : Promise.resolve(result as GuardResult);
}

describe('guards', () => {
  let backend: HttpTestingController;
  let router: Router;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: testProviders() });
    backend = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
  });

  afterEach(() => backend.verify());

  it('authGuard loads the user from the session cookie', async () => {
    const result = run(authGuard);
    const user = makeUser('internal_user');
    backend.expectOne('/user/info').flush({ user_id: user.user_id, user_info: user, keys: [] });

    await expect(result).resolves.toBe(true);
  });

  it('authGuard sends a signed-out visitor to login, remembering the page', async () => {
    const result = run(authGuard, '/usage?x=1');
    backend
      .expectOne('/user/info')
      .flush(apiError('Not signed in', 401), { status: 401, statusText: 'Unauthorized' });

    const tree = (await result) as UrlTree;
    expect(router.serializeUrl(tree)).toBe('/login?returnUrl=%2Fusage%3Fx%3D1');
  });

  it('permissionGuard follows the matrix: viewers cannot open the users page', async () => {
    signInAs('internal_user');
    const refused = (await run(permissionGuard('users.list'))) as UrlTree;
    expect(router.serializeUrl(refused)).toBe('/keys');

    signInAs('proxy_admin_viewer');
    await expect(run(permissionGuard('users.list'))).resolves.toBe(true);
  });

  it('rootRedirect sends /ui?invitation_id=<id> to the onboarding page', () => {
    const redirect = (queryParams: Record<string, string>) =>
      runInInjectionContext(TestBed.inject(EnvironmentInjector), () =>
        rootRedirect({
          queryParams,
          params: {},
          url: [],
          fragment: null,
          data: {},
          outlet: 'primary',
          title: undefined,
          routeConfig: null,
          paramMap: convertToParamMap({}),
          queryParamMap: convertToParamMap(queryParams),
        } as unknown as Parameters<typeof rootRedirect>[0]),
      );

    const tree = redirect({ invitation_id: 'inv-1' }) as UrlTree;
    expect(router.serializeUrl(tree)).toBe('/onboarding?id=inv-1');
    expect(redirect({ login: 'success' })).toBe('/keys');
  });
});
