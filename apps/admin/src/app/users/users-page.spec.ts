import { Clipboard } from '@angular/cdk/clipboard';
import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { Role } from '@gatehouse/domain';

import {
  allByTestId,
  apiError,
  byTestId,
  makeInvitation,
  makeUser,
  signInAs,
  testProviders,
  toggleCheckbox,
  typeInto,
} from '../../testing/fixtures';
import { invitationLink } from './invitation-dialog';
import { UsersPage } from './users-page';

const invitation = makeInvitation();

describe('UsersPage', () => {
  let backend: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [UsersPage],
      providers: [...testProviders(), { provide: Clipboard, useValue: { copy: () => true } }],
    });
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => backend.verify());

  function flushList(emails = ['ana@example.com']) {
    const users = emails.map((email, i) => ({
      ...makeUser('internal_user', { user_id: `u${i}`, user_email: email }),
      key_count: i,
    }));
    backend
      .expectOne((r) => r.url === '/user/list')
      .flush({ users, total: users.length, page: 1, page_size: 25, total_pages: 1 });
  }

  /** The invitation dialog asks the server for its public address (PROXY_BASE_URL). */
  async function flushPublicBase(fixture: ComponentFixture<UsersPage>) {
    backend
      .expectOne('/sso/get/logout_url')
      .flush({ PROXY_BASE_URL: 'https://keys.example.com', PROXY_LOGOUT_URL: null });
    await fixture.whenStable();
  }

  async function render(role: Role): Promise<ComponentFixture<UsersPage>> {
    signInAs(role);
    const fixture = TestBed.createComponent(UsersPage);
    await fixture.whenStable();
    flushList();
    await fixture.whenStable();

    return fixture;
  }

  it('shows an admin viewer the list without any write action', async () => {
    await render('proxy_admin_viewer');

    expect(allByTestId('user-row')).toHaveLength(1);
    expect(byTestId('user-role')?.textContent).toContain('Internal user');
    expect(byTestId('new-user')).toBeNull();
    expect(byTestId('user-delete')).toBeNull();
    expect(byTestId('user-invite')).toBeNull();
    expect(byTestId('user-role-select')).toBeNull();
  });

  it('searches by email from the first page', async () => {
    const fixture = await render('proxy_admin');

    typeInto(byTestId<HTMLInputElement>('user-search'), 'ana');
    byTestId('user-search-submit')?.click();
    await fixture.whenStable();

    const req = backend.expectOne((r) => r.url === '/user/list');
    expect(req.request.params.get('user_email')).toBe('ana');
    expect(req.request.params.get('page')).toBe('1');
    req.flush({ users: [], total: 0, page: 1, page_size: 25, total_pages: 0 });
  });

  it('adds a user without the email, then shows the invitation link to copy', async () => {
    const fixture = await render('proxy_admin');

    byTestId('new-user')?.click();
    await fixture.whenStable();
    typeInto(byTestId<HTMLInputElement>('new-user-email'), 'new@example.com');
    toggleCheckbox('new-user-send-email');
    byTestId('new-user-submit')?.click();

    const create = backend.expectOne('/user/new');
    expect(create.request.body).toEqual({
      user_email: 'new@example.com',
      user_role: 'internal_user_viewer',
      auto_create_key: false,
    });
    create.flush({ ...makeUser('internal_user_viewer', { user_id: 'new-id' }), key: '' });
    const invite = backend.expectOne('/invitation/new');
    expect(invite.request.body).toEqual({ user_id: 'new-id' });
    invite.flush(invitation);
    await fixture.whenStable();
    flushList(['ana@example.com', 'new@example.com']);
    await fixture.whenStable();
    await flushPublicBase(fixture);

    // The link is built on PROXY_BASE_URL, not on the address the admin's browser uses.
    expect(byTestId('invitation-link')?.textContent).toBe(
      'https://keys.example.com/ui/onboarding?id=inv-42',
    );
    expect(byTestId('invitation-expiry')?.textContent).toContain('2026');
    expect(allByTestId('user-row')).toHaveLength(2);
  });

  it('makes a fresh invitation link for an existing user', async () => {
    const fixture = await render('proxy_admin');

    byTestId('user-invite')?.click();
    backend.expectOne('/invitation/new').flush({ ...invitation, id: 'inv-43' });
    await fixture.whenStable();
    await flushPublicBase(fixture);

    expect(byTestId('invitation-link')?.textContent).toBe(
      'https://keys.example.com/ui/onboarding?id=inv-43',
    );
  });

  it('says in words why deleting a user failed', async () => {
    const fixture = await render('proxy_admin');

    byTestId('user-delete')?.click();
    await fixture.whenStable();
    byTestId('confirm-ok')?.click();
    await fixture.whenStable();
    const remove = backend.expectOne('/user/delete');
    expect(remove.request.body).toEqual({ user_ids: ['u0'] });
    remove.flush(apiError('User u0 not found', 404), { status: 404, statusText: 'Not Found' });
    await fixture.whenStable();

    expect(byTestId('users-action-error')?.textContent).toContain('User u0 not found');
  });

  it('builds invitation links on the given origin', () => {
    expect(invitationLink('http://localhost:4000', 'a b')).toBe(
      'http://localhost:4000/ui/onboarding?id=a%20b',
    );
  });
});
