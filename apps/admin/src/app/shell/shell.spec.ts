import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import {
  allByTestId,
  byTestId,
  fakeLocation,
  signInAs,
  testProviders,
} from '../../testing/fixtures';
import { Shell } from './shell';

describe('Shell', () => {
  let location: ReturnType<typeof fakeLocation>;

  beforeEach(() => {
    location = fakeLocation();
    TestBed.configureTestingModule({ imports: [Shell], providers: testProviders(location) });
  });

  async function render() {
    const fixture = TestBed.createComponent(Shell);
    await fixture.whenStable();

    return fixture;
  }

  it('offers an internal user keys and usage, but not the users page', async () => {
    signInAs('internal_user');
    await render();

    const nav = allByTestId('nav-keys').concat(allByTestId('nav-users'), allByTestId('nav-usage'));
    expect(nav.map((a) => a.querySelector('[matListItemTitle]')?.textContent?.trim())).toEqual([
      'Virtual Keys',
      'Usage',
    ]);
  });

  it('offers admin roles the users page', async () => {
    signInAs('proxy_admin_viewer');
    await render();

    expect(byTestId('nav-users')).not.toBeNull();
  });

  it('shows who is signed in, with the role, and logs out through the server', async () => {
    signInAs('proxy_admin', { user_email: 'root@example.com' });
    const fixture = await render();

    expect(byTestId('account-email')?.textContent).toBe('root@example.com');
    byTestId('account-menu')?.click();
    await fixture.whenStable();
    expect(byTestId('account-role')?.textContent).toContain('Admin (proxy_admin)');

    byTestId('logout')?.click();
    expect(location.assign).toHaveBeenCalledWith('/sso/logout');
  });

  it('opens the own sessions from the account menu', async () => {
    signInAs('internal_user');
    const fixture = await render();

    byTestId('account-menu')?.click();
    await fixture.whenStable();
    byTestId('account-sessions')?.click();
    await fixture.whenStable();

    expect(byTestId('sessions-dialog')).not.toBeNull();
    TestBed.inject(HttpTestingController).expectOne('/user/sessions').flush([]);
  });
});
