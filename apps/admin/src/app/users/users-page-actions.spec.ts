import { Clipboard } from '@angular/cdk/clipboard';
import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { Role } from '@gatehouse/domain';

import {
  allByTestId,
  apiError,
  byTestId,
  makeInvitation,
  makeUser,
  signInAs,
  testProviders,
} from '../../testing/fixtures';
import { UsersPage } from './users-page';

const ana = makeUser('internal_user', { user_id: 'u-ana', user_email: 'ana@example.com' });

/** The row actions of proxy_admin beyond add and delete: block, reset password, end sessions. */
describe('UsersPage row actions', () => {
  let backend: HttpTestingController;
  let fixture: ComponentFixture<UsersPage>;

  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [UsersPage],
      providers: [...testProviders(), { provide: Clipboard, useValue: { copy: () => true } }],
    });
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    TestBed.inject(MatDialog).closeAll();
    backend.verify();
  });

  async function render(role: Role, users = [ana]) {
    const self = signInAs(role);
    fixture = TestBed.createComponent(UsersPage);
    await fixture.whenStable();
    const rows = [...users, self].map((user) => ({ ...user, key_count: 0 }));
    backend
      .expectOne((r) => r.url === '/user/list')
      .flush({ users: rows, total: rows.length, page: 1, page_size: 25, total_pages: 1 });
    await fixture.whenStable();
  }

  /** Opens the "More actions" menu of the row with this email and picks an item. */
  async function pick(email: string, item: string) {
    const row = document.querySelector(`[data-testid="user-row"][data-user-email="${email}"]`);
    row?.querySelector<HTMLElement>('[data-testid="user-more"]')?.click();
    await fixture.whenStable();
    const button = byTestId<HTMLButtonElement>(item);
    if (!button) {
      throw new Error(`no menu item ${item}`);
    }
    button.click();
    await fixture.whenStable();
  }

  async function confirm() {
    byTestId('confirm-ok')?.click();
    await fixture.whenStable();
  }

  const text = (testId: string) => byTestId(testId)?.textContent?.trim();

  it('shows an admin viewer the Blocked chip, but no row actions', async () => {
    await render('proxy_admin_viewer', [{ ...ana, blocked: true }]);

    expect(allByTestId('user-blocked')).toHaveLength(1);
    expect(byTestId('user-more')).toBeNull();
  });

  it('blocks a user after asking, shows the chip, and unblocks without asking', async () => {
    await render('proxy_admin');
    expect(byTestId('user-blocked')).toBeNull();

    await pick('ana@example.com', 'user-block');
    expect(byTestId('confirm-ok')?.textContent?.trim()).toBe('Block');
    await confirm();
    const block = backend.expectOne('/user/block');
    expect(block.request.body).toEqual({ user_id: 'u-ana' });
    block.flush({ ...ana, blocked: true });
    await fixture.whenStable();

    expect(text('user-blocked')).toBe('Blocked');
    expect(text('users-action-status')).toBe(
      'Blocked ana@example.com: signed out, and their keys are refused.',
    );

    await pick('ana@example.com', 'user-unblock');
    backend.expectOne('/user/unblock').flush({ ...ana, blocked: false });
    await fixture.whenStable();

    expect(byTestId('user-blocked')).toBeNull();
    expect(text('users-action-status')).toBe('Unblocked ana@example.com.');
  });

  it('offers neither block nor end sessions on the own row', async () => {
    await render('proxy_admin');

    await pick('proxy.admin@example.com', 'user-block');
    expect(byTestId<HTMLButtonElement>('user-block')?.disabled).toBe(true);
    expect(byTestId<HTMLButtonElement>('user-end-sessions')?.disabled).toBe(true);
    expect(byTestId<HTMLButtonElement>('user-reset-password')?.disabled).toBe(false);
  });

  it('says in words why blocking failed', async () => {
    await render('proxy_admin');

    await pick('ana@example.com', 'user-block');
    await confirm();
    backend
      .expectOne('/user/block')
      .flush(apiError('User u-ana not found', 404), { status: 404, statusText: 'Not Found' });
    await fixture.whenStable();

    expect(text('users-action-error')).toBe(
      'Could not block ana@example.com: User u-ana not found',
    );
    expect(byTestId('user-blocked')).toBeNull();
  });

  it('resets a password and says the link was emailed, without showing it', async () => {
    await render('proxy_admin');

    await pick('ana@example.com', 'user-reset-password');
    await confirm();
    const reset = backend.expectOne('/user/password/reset');
    expect(reset.request.body).toEqual({ user_id: 'u-ana' });
    const invitation = makeInvitation({ purpose: 'password_reset', email_status: 'sent' });
    reset.flush({ user_id: 'u-ana', invitation, reset_link: null });
    await fixture.whenStable();

    expect(text('reset-status')).toBe('Reset link emailed to ana@example.com.');
    expect(byTestId('reset-link')).toBeNull();
  });

  it('shows the reset link to copy when the server cannot email it', async () => {
    await render('proxy_admin');

    await pick('ana@example.com', 'user-reset-password');
    await confirm();
    const invitation = makeInvitation({ purpose: 'password_reset', email_status: 'disabled' });
    const link = 'https://keys.example.com/ui/onboarding?id=inv-42';
    backend
      .expectOne('/user/password/reset')
      .flush({ user_id: 'u-ana', invitation, reset_link: link });
    await fixture.whenStable();

    expect(text('reset-status')).toBe(
      'Email is off on this server: copy the link and send it to ana@example.com yourself.',
    );
    expect(text('reset-link')).toBe(link);
    byTestId('reset-link-copy')?.click();
    await fixture.whenStable();
    expect(text('reset-link-copy-status')).toBe('Copied to the clipboard.');
  });

  it('ends all sessions of a user after asking, and says how many', async () => {
    await render('proxy_admin');

    await pick('ana@example.com', 'user-end-sessions');
    await confirm();
    const end = backend.expectOne('/user/sessions/end_all');
    expect(end.request.body).toEqual({ user_id: 'u-ana' });
    end.flush({ user_id: 'u-ana', sessions_ended: 2 });
    await fixture.whenStable();

    expect(text('users-action-status')).toBe('Ended 2 sessions of ana@example.com.');
  });

  it('does nothing when the confirmation is cancelled', async () => {
    await render('proxy_admin');

    await pick('ana@example.com', 'user-end-sessions');
    byTestId('confirm-cancel')?.click();
    await fixture.whenStable();

    backend.expectNone('/user/sessions/end_all');
  });

  it('emails a new invitation link from the row menu', async () => {
    await render('proxy_admin');

    await pick('ana@example.com', 'user-invite-email');
    const invite = backend.expectOne('/invitation/new');
    expect(invite.request.body).toEqual({ user_id: 'u-ana', send_invite_email: true });
    invite.flush(makeInvitation({ email_status: 'sent' }));
    await fixture.whenStable();
    backend.expectOne('/sso/get/logout_url').flush({ PROXY_BASE_URL: 'https://keys.example.com' });
    await fixture.whenStable();

    expect(text('invitation-email-status')).toBe('Emailed to ana@example.com.');
    expect(text('invitation-link')).toBe('https://keys.example.com/ui/onboarding?id=inv-42');
  });

  it('changes a role only once confirmed, and puts the select back otherwise', async () => {
    await render('proxy_admin');
    const page = fixture.componentInstance as unknown as {
      changeRole(user: typeof ana, role: Role): void;
    };

    page.changeRole(ana, 'proxy_admin');
    await fixture.whenStable();
    expect(byTestId('confirm-ok')?.textContent?.trim()).toBe('Change role');
    await confirm();
    const update = backend.expectOne('/user/update');
    expect(update.request.body).toEqual({ user_id: 'u-ana', user_role: 'proxy_admin' });
    update.flush({ user_id: 'u-ana', data: { ...ana, user_role: 'proxy_admin' } });
    await fixture.whenStable();

    page.changeRole(ana, 'internal_user_viewer');
    await fixture.whenStable();
    byTestId('confirm-cancel')?.click();
    await fixture.whenStable();
    backend.expectNone('/user/update');
    backend
      .expectOne((r) => r.url === '/user/list')
      .flush({ users: [], total: 0, page: 1, page_size: 25, total_pages: 0 });
  });
});
