import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';

import { fakeLocation, makeUser, testProviders } from '../../testing/fixtures';
import { Session } from './session';

describe('Session', () => {
  let session: Session;
  let backend: HttpTestingController;
  let location: ReturnType<typeof fakeLocation>;

  beforeEach(() => {
    location = fakeLocation();
    TestBed.configureTestingModule({ providers: testProviders(location) });
    session = TestBed.inject(Session);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => backend.verify());

  it('signs in with a JSON body, then loads the user from /user/info', async () => {
    const signedIn = firstValueFrom(session.login('Ana@Example.com', 'correct horse battery'));

    const login = backend.expectOne('/v2/login');
    expect(login.request.method).toBe('POST');
    expect(login.request.body).toEqual({
      username: 'Ana@Example.com',
      password: 'correct horse battery',
    });
    login.flush({ redirect_url: '/ui?login=success', token: 'tok' });

    const info = backend.expectOne('/user/info');
    expect(info.request.method).toBe('GET');
    const user = makeUser('internal_user');
    info.flush({ user_id: user.user_id, user_info: user, keys: [], teams: [] });

    await expect(signedIn).resolves.toEqual(user);
    expect(session.user()).toEqual(user);
    expect(session.displayName()).toBe(user.user_email);
  });

  it('answers permissions from the shared matrix for the signed-in role', () => {
    expect(session.can('keys.read')).toBe(false);

    session.signedIn(makeUser('internal_user_viewer'));
    expect(session.can('keys.read')).toBe(true);
    expect(session.can('keys.write')).toBe(false);
    expect(session.scope('keys.read')).toBe('own');

    session.signedIn(makeUser('proxy_admin_viewer'));
    expect(session.can('users.list')).toBe(true);
    expect(session.can('users.write')).toBe(false);
    expect(session.scope('spend.read')).toBe('all');
  });

  it('logs out by leaving for the server logout, which clears the cookies', () => {
    session.signedIn(makeUser('proxy_admin'));

    session.logout();

    expect(location.assign).toHaveBeenCalledWith('/sso/logout');
    expect(session.user()).toBeNull();
  });

  it('changes the password with the current and the new one', () => {
    session.changePassword({ current_password: 'old', new_password: 'new' }).subscribe();

    const req = backend.expectOne('/user/password/change');
    expect(req.request.body).toEqual({ current_password: 'old', new_password: 'new' });
    req.flush({});
  });
});
