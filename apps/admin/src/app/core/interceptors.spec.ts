import { HttpClient } from '@angular/common/http';
import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';

import { apiError, signInAs, testProviders } from '../../testing/fixtures';
import { ApiError } from './api-error';
import { handles401Itself } from './http-context';
import { Session } from './session';

describe('HTTP interceptors', () => {
  let http: HttpClient;
  let backend: HttpTestingController;
  let router: Router;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: testProviders() });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
    vi.spyOn(router, 'url', 'get').mockReturnValue('/users?page=2');
    vi.spyOn(router, 'navigate').mockResolvedValue(true);
  });

  afterEach(() => {
    backend.verify();
    document.cookie = 'XSRF-TOKEN=; expires=Thu, 01 Jan 1970 00:00:00 GMT';
  });

  it('sends the user to the login page with a returnUrl on a 401', async () => {
    signInAs('proxy_admin');
    const call = firstValueFrom(http.get('/key/list'));

    backend
      .expectOne('/key/list')
      .flush(apiError('Session expired', 401), { status: 401, statusText: 'Unauthorized' });

    await expect(call).rejects.toBeInstanceOf(ApiError);
    expect(router.navigate).toHaveBeenCalledWith(['/login'], {
      queryParams: { returnUrl: '/users?page=2' },
    });
    expect(TestBed.inject(Session).user()).toBeNull();
  });

  it('leaves a 401 of a call that handles it itself (the login call) to the caller', async () => {
    const call = firstValueFrom(http.post('/v2/login', {}, { context: handles401Itself() }));

    backend
      .expectOne('/v2/login')
      .flush(apiError('Invalid credentials', 401), { status: 401, statusText: 'Unauthorized' });

    await expect(call).rejects.toThrow('Invalid credentials');
    expect(router.navigate).not.toHaveBeenCalled();
  });

  it('does not redirect on other failures, and hands over the API message', async () => {
    const call = firstValueFrom(http.post('/key/generate', {}));

    backend
      .expectOne('/key/generate')
      .flush(apiError('Not allowed', 403), { status: 403, statusText: 'Forbidden' });

    await expect(call).rejects.toMatchObject({ message: 'Not allowed', status: 403 });
    expect(router.navigate).not.toHaveBeenCalled();
  });

  it('adds the CSRF header from the XSRF-TOKEN cookie to state-changing calls only', () => {
    document.cookie = 'XSRF-TOKEN=csrf-123; path=/';

    http.post('/key/delete', { keys: ['t'] }).subscribe();
    http.get('/key/list').subscribe();

    const post = backend.expectOne('/key/delete');
    const get = backend.expectOne('/key/list');
    expect(post.request.headers.get('X-XSRF-TOKEN')).toBe('csrf-123');
    expect(get.request.headers.has('X-XSRF-TOKEN')).toBe(false);
    post.flush({ deleted_keys: ['t'] });
    get.flush({});
  });
});
