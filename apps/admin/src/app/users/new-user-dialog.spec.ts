import { Clipboard } from '@angular/cdk/clipboard';
import { HttpTestingController } from '@angular/common/http/testing';
import { ApplicationRef } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { Invitation } from '@gatehouse/domain';

import {
  apiError,
  byTestId,
  makeInvitation,
  makeUser,
  signInAs,
  testProviders,
  typeInto,
} from '../../testing/fixtures';
import { EMAIL_POLL_ATTEMPTS, EMAIL_POLL_INTERVAL_MS } from './email-status';
import { InvitationData, InvitationDialog } from './invitation-dialog';
import { NewUserDialog, NewUserResult } from './new-user-dialog';

const newUser = { ...makeUser('internal_user_viewer', { user_id: 'new-id' }), key: '' };

describe('NewUserDialog with the invitation email', () => {
  let backend: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [...testProviders(), { provide: Clipboard, useValue: { copy: () => true } }],
    });
    backend = TestBed.inject(HttpTestingController);
    signInAs('proxy_admin');
  });

  afterEach(() => {
    TestBed.inject(MatDialog).closeAll();
    backend.verify();
    vi.useRealTimers();
  });

  const stable = () => TestBed.inject(ApplicationRef).whenStable();
  const text = (testId: string) => byTestId(testId)?.textContent?.trim();

  async function openAndSubmit(): Promise<{ result: NewUserResult | undefined }> {
    const closed: { result: NewUserResult | undefined } = { result: undefined };
    const ref = TestBed.inject(MatDialog).open<NewUserDialog, void, NewUserResult>(NewUserDialog);
    ref.afterClosed().subscribe((result) => (closed.result = result));
    await stable();

    expect(byTestId('new-user-send-email')?.querySelector('input')?.checked).toBe(true);
    typeInto(byTestId<HTMLInputElement>('new-user-email'), 'new@example.com');
    byTestId('new-user-submit')?.click();

    return closed;
  }

  it('lets the API create and email the invitation, then reads it back', async () => {
    const closed = await openAndSubmit();

    const create = backend.expectOne('/user/new');
    expect(create.request.body).toEqual({
      user_email: 'new@example.com',
      user_role: 'internal_user_viewer',
      auto_create_key: false,
      send_invite_email: true,
    });
    create.flush({ ...newUser, invitation_id: 'inv-42', email_status: 'pending' });
    const info = backend.expectOne((r) => r.url === '/invitation/info');
    expect(info.request.params.get('invitation_id')).toBe('inv-42');
    info.flush(makeInvitation({ email_status: 'pending' }));
    await stable();

    // The API made the invitation: the dialog must not make a second one.
    backend.expectNone('/invitation/new');
    expect(closed.result?.invitation.email_status).toBe('pending');
    expect(closed.result?.user.user_id).toBe('new-id');
  });

  it('retries only reading the invitation when that failed', async () => {
    await openAndSubmit();
    backend.expectOne('/user/new').flush({ ...newUser, invitation_id: 'inv-42' });
    backend
      .expectOne((r) => r.url === '/invitation/info')
      .flush(apiError('Service unavailable', 503), { status: 503, statusText: 'Unavailable' });
    await stable();

    expect(text('new-user-error')).toBe(
      'The user was added and invited, but the invitation could not be read: Service unavailable',
    );
    expect(text('new-user-submit')).toBe('Try the invitation again');

    byTestId('new-user-submit')?.click();
    backend.expectNone('/user/new');
    backend.expectOne((r) => r.url === '/invitation/info').flush(makeInvitation());
    await stable();
  });
});

describe('InvitationDialog email status', () => {
  let backend: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [...testProviders(), { provide: Clipboard, useValue: { copy: () => true } }],
    });
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    TestBed.inject(MatDialog).closeAll();
    backend.verify();
    vi.useRealTimers();
  });

  const stable = () => TestBed.inject(ApplicationRef).whenStable();
  const status = () => byTestId('invitation-email-status')?.textContent?.trim();

  async function open(invitation: Invitation) {
    const data: InvitationData = { invitation, email: 'new@example.com', created: true };
    TestBed.inject(MatDialog).open(InvitationDialog, { data });
    await stable();
    backend.expectOne('/sso/get/logout_url').flush({ PROXY_BASE_URL: 'https://keys.example.com' });
    await stable();
  }

  /** RxJS timers run on setInterval; Angular's own scheduling keeps its real timers. */
  async function tick(times = 1) {
    await vi.advanceTimersByTimeAsync(EMAIL_POLL_INTERVAL_MS * times);
  }

  const pollRequest = () => backend.expectOne((r) => r.url === '/invitation/info');

  it('says in words what became of the email', async () => {
    const cases: [Partial<Invitation>, string][] = [
      [{ email_status: 'sent' }, 'Emailed to new@example.com.'],
      [
        { email_status: 'failed', email_error: 'Mailbox unavailable.' },
        'Email failed: Mailbox unavailable. Copy the link and send it yourself.',
      ],
      [
        { email_status: 'disabled' },
        'Email is off on this server: copy the link and send it yourself.',
      ],
      [{ email_status: 'not_requested' }, 'Copy the link and send it to new@example.com yourself.'],
    ];

    for (const [overrides, words] of cases) {
      await open(makeInvitation(overrides));
      expect(status()).toBe(words);
      TestBed.inject(MatDialog).closeAll();
      await stable();
    }
  });

  it('follows a pending email every second until it was sent', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    await open(makeInvitation({ email_status: 'pending' }));
    expect(status()).toBe('Sending… The link is on its way to new@example.com.');

    await tick();
    const first = pollRequest();
    expect(first.request.params.get('invitation_id')).toBe('inv-42');
    first.flush(makeInvitation({ email_status: 'pending' }));
    await tick();
    pollRequest().flush(makeInvitation({ email_status: 'sent' }));
    await stable();

    expect(status()).toBe('Emailed to new@example.com.');
    await tick(3);
    backend.expectNone((r) => r.url === '/invitation/info');
  });

  it('shows a failure found while following, and gives up after ten seconds', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    await open(makeInvitation({ email_status: 'pending' }));

    for (let attempt = 0; attempt < EMAIL_POLL_ATTEMPTS; attempt++) {
      await tick();
      pollRequest().flush(makeInvitation({ email_status: 'pending' }));
    }
    await tick(5);
    backend.expectNone((r) => r.url === '/invitation/info');
    expect(status()).toContain('Sending…');

    TestBed.inject(MatDialog).closeAll();
    await stable();
    await open(makeInvitation({ email_status: 'pending' }));
    await tick();
    pollRequest().flush(makeInvitation({ email_status: 'failed', email_error: 'Relay denied' }));
    await stable();

    expect(status()).toBe('Email failed: Relay denied. Copy the link and send it yourself.');
    expect(byTestId('invitation-email-status')?.classList).toContain('gh-error');
  });
});
