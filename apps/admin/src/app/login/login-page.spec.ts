import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';

import { apiError, byTestId, makeUser, testProviders, typeInto } from '../../testing/fixtures';
import { LoginPage, safeReturnUrl } from './login-page';

describe('LoginPage', () => {
  let backend: HttpTestingController;
  let router: Router;

  beforeEach(() => {
    TestBed.configureTestingModule({ imports: [LoginPage], providers: testProviders() });
    backend = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
    vi.spyOn(router, 'navigateByUrl').mockResolvedValue(true);
  });

  afterEach(() => backend.verify());

  async function signIn(returnUrl?: string) {
    const fixture = TestBed.createComponent(LoginPage);
    fixture.componentRef.setInput('returnUrl', returnUrl);
    await fixture.whenStable();
    typeInto(byTestId<HTMLInputElement>('login-email'), ' ana@example.com ');
    typeInto(byTestId<HTMLInputElement>('login-password'), 'secret passphrase');
    byTestId('login-submit')?.click();
    await fixture.whenStable();

    return fixture;
  }

  it('signs in and returns to the page that asked for it', async () => {
    const fixture = await signIn('/users?page=2');

    const login = backend.expectOne('/v2/login');
    expect(login.request.body).toEqual({
      username: 'ana@example.com',
      password: 'secret passphrase',
    });
    login.flush({ redirect_url: '/ui?login=success', token: 'tok' });
    const user = makeUser('proxy_admin');
    backend.expectOne('/user/info').flush({ user_id: user.user_id, user_info: user, keys: [] });
    await fixture.whenStable();

    expect(router.navigateByUrl).toHaveBeenCalledWith('/users?page=2');
  });

  it('shows the API message when the credentials are wrong', async () => {
    const fixture = await signIn();

    backend.expectOne('/v2/login').flush(apiError('Invalid email or password', 401), {
      status: 401,
      statusText: 'Unauthorized',
    });
    await fixture.whenStable();

    expect(byTestId('login-error')?.textContent).toContain('Invalid email or password');
    expect(router.navigateByUrl).not.toHaveBeenCalled();
  });

  it('returns only to pages of the console', () => {
    expect(safeReturnUrl(undefined)).toBe('/keys');
    expect(safeReturnUrl('https://evil.example')).toBe('/keys');
    expect(safeReturnUrl('//evil.example')).toBe('/keys');
    expect(safeReturnUrl('/login?returnUrl=/x')).toBe('/keys');
    expect(safeReturnUrl('/usage')).toBe('/usage');
  });
});
