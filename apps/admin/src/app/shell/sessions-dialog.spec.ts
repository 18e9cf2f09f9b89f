import { HttpTestingController } from '@angular/common/http/testing';
import { ApplicationRef } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';

import {
  allByTestId,
  apiError,
  byTestId,
  makeSession,
  signInAs,
  testProviders,
} from '../../testing/fixtures';
import { SessionsDialog } from './sessions-dialog';

const CHROME_MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) ' +
  'Chrome/131.0.0.0 Safari/537.36';
const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';

const sessions = [
  makeSession({ session_id: 'old', user_agent: 'curl/8.5.0', last_seen_at: '2026-12-01T00:00Z' }),
  makeSession({ session_id: 'here', user_agent: CHROME_MAC, current: true, ip: '198.51.100.1' }),
  makeSession({
    session_id: 'phone',
    user_agent: FIREFOX_LINUX,
    last_seen_at: '2026-12-03T10:00Z',
  }),
];

describe('SessionsDialog', () => {
  let backend: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: testProviders() });
    backend = TestBed.inject(HttpTestingController);
    signInAs('internal_user_viewer');
  });

  afterEach(() => {
    TestBed.inject(MatDialog).closeAll();
    backend.verify();
  });

  const stable = () => TestBed.inject(ApplicationRef).whenStable();

  async function open() {
    TestBed.inject(MatDialog).open(SessionsDialog);
    await stable();
    backend.expectOne('/user/sessions').flush(sessions);
    await stable();
  }

  const rowIds = () => allByTestId('session-row').map((row) => row.dataset['sessionId']);

  function row(id: string): HTMLElement {
    const found = allByTestId('session-row').find((r) => r.dataset['sessionId'] === id);
    if (!found) {
      throw new Error(`no row for session ${id}`);
    }

    return found;
  }

  const inRow = (id: string, testId: string) =>
    row(id).querySelector<HTMLElement>(`[data-testid="${testId}"]`);

  it('lists this session first, then the most recently used, in a few words', async () => {
    await open();

    expect(rowIds()).toEqual(['here', 'phone', 'old']);
    expect(inRow('here', 'session-agent')?.textContent?.trim()).toBe('Chrome 131 on macOS');
    expect(inRow('here', 'session-current')?.textContent?.trim()).toBe('This session');
    expect(inRow('here', 'session-ip')?.textContent).toBe('198.51.100.1');
    expect(inRow('here', 'session-end')).toBeNull();
    expect(inRow('phone', 'session-agent')?.textContent?.trim()).toBe('Firefox 133 on Linux');
    expect(inRow('phone', 'session-current')).toBeNull();
    expect(inRow('phone', 'session-last-seen')?.textContent).toContain('Last seen Dec 3, 2026');
    expect(inRow('phone', 'session-end')?.getAttribute('aria-label')).toBe(
      'End the session of Firefox 133 on Linux from 203.0.113.7',
    );
  });

  it('ends another session and says so', async () => {
    await open();

    inRow('phone', 'session-end')?.click();
    const end = backend.expectOne('/user/sessions/end');
    expect(end.request.body).toEqual({ session_id: 'phone' });
    end.flush({ sessions_ended: 1 });
    await stable();

    expect(rowIds()).toEqual(['here', 'old']);
    expect(byTestId('sessions-status')?.textContent).toBe(
      'Ended the session of Firefox 133 on Linux.',
    );
    // The button that had the focus went with its row; the focus stays in the dialog.
    expect(document.activeElement?.textContent).toBe('Your sessions');
  });

  it('ends all the other sessions, leaving this one', async () => {
    await open();

    byTestId('sessions-end-others')?.click();
    backend.expectOne('/user/sessions/end_others').flush({ sessions_ended: 2 });
    await stable();

    expect(rowIds()).toEqual(['here']);
    expect(byTestId('sessions-status')?.textContent).toBe(
      'Ended 2 sessions. Only this one is left.',
    );
    expect(byTestId<HTMLButtonElement>('sessions-end-others')?.disabled).toBe(true);
  });

  it('says in words, next to the action, why ending failed', async () => {
    await open();

    inRow('old', 'session-end')?.click();
    backend
      .expectOne('/user/sessions/end')
      .flush(apiError('Session not found', 404), { status: 404, statusText: 'Not Found' });
    await stable();

    expect(inRow('old', 'session-end-error')?.textContent).toContain(
      'Could not end this session: Session not found',
    );
    expect(rowIds()).toEqual(['here', 'phone', 'old']);

    byTestId('sessions-end-others')?.click();
    backend
      .expectOne('/user/sessions/end_others')
      .flush(apiError('Database unavailable', 503), { status: 503, statusText: 'Unavailable' });
    await stable();

    expect(byTestId('session-end-error')).toBeNull();
    expect(byTestId('sessions-end-others-error')?.textContent).toContain(
      'Could not end your other sessions: Database unavailable',
    );
  });

  it('says when the list cannot be loaded, and loads it again on Retry', async () => {
    TestBed.inject(MatDialog).open(SessionsDialog);
    await stable();
    backend.expectOne('/user/sessions').flush(null, { status: 0, statusText: 'Unknown Error' });
    await stable();

    const error = byTestId('sessions-load-error');
    expect(error?.textContent).toContain('Cannot reach the Gatehouse server');
    error?.querySelector('button')?.click();
    backend.expectOne('/user/sessions').flush(sessions);
    await stable();

    expect(rowIds()).toHaveLength(3);
  });
});
