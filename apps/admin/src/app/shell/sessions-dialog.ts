import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  computed,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule } from '@angular/material/dialog';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { SessionInfo } from '@gatehouse/domain';

import { AccountApi } from '../core/account-api';
import { errorMessage } from '../core/api-error';
import { describeUserAgent } from '../shared/user-agent';

/** The current session first, then the most recently used. */
function byRecentUse(a: SessionInfo, b: SessionInfo): number {
  if (a.current !== b.current) {
    return a.current ? -1 : 1;
  }

  return Date.parse(b.last_seen_at) - Date.parse(a.last_seen_at);
}

function plural(count: number): string {
  return count === 1 ? '1 session' : `${count} sessions`;
}

/**
 * The signed-in user's console sessions: where they are signed in, and a way to sign the other
 * browsers out (a lost laptop, a shared computer). The current session cannot be ended here:
 * "Log out" does that.
 */
@Component({
  selector: 'gh-sessions-dialog',
  imports: [DatePipe, MatButtonModule, MatDialogModule, MatProgressBarModule],
  templateUrl: './sessions-dialog.html',
  styleUrl: './sessions-dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SessionsDialog {
  private readonly api = inject(AccountApi);
  private readonly title = viewChild.required<ElementRef<HTMLElement>>('title');

  /** Null while loading. */
  protected readonly sessions = signal<SessionInfo[] | null>(null);
  protected readonly others = computed(() => (this.sessions() ?? []).filter((s) => !s.current));
  protected readonly loadError = signal('');

  /** The session being ended, `others` while ending the others, or null. */
  protected readonly ending = signal<string | null>(null);
  protected readonly rowError = signal<{ id: string; message: string } | null>(null);
  protected readonly othersError = signal('');
  protected readonly status = signal('');

  constructor() {
    this.load();
  }

  protected agent(session: SessionInfo): string {
    return describeUserAgent(session.user_agent);
  }

  /** What the End button ends, for screen readers that hear only the button. */
  protected endLabel(session: SessionInfo): string {
    const from = session.ip ? ` from ${session.ip}` : '';

    return `End the session of ${this.agent(session)}${from}`;
  }

  protected load(): void {
    this.sessions.set(null);
    this.loadError.set('');

    this.api.sessions().subscribe({
      next: (sessions) => this.sessions.set([...sessions].sort(byRecentUse)),
      error: (err: unknown) =>
        this.loadError.set(`Could not load your sessions: ${errorMessage(err)}`),
    });
  }

  protected end(session: SessionInfo): void {
    if (this.ending()) {
      return;
    }

    this.ending.set(session.session_id);
    this.rowError.set(null);
    this.othersError.set('');
    this.status.set('');

    this.api.endSession(session.session_id).subscribe({
      next: (res) => {
        this.ending.set(null);
        this.remove((s) => s.session_id === session.session_id);
        this.status.set(
          res.sessions_ended > 0
            ? `Ended the session of ${this.agent(session)}.`
            : 'That session had already ended.',
        );
      },
      error: (err: unknown) => {
        this.ending.set(null);
        const message = `Could not end this session: ${errorMessage(err)}`;
        this.rowError.set({ id: session.session_id, message });
      },
    });
  }

  protected endOthers(): void {
    if (this.ending()) {
      return;
    }

    this.ending.set('others');
    this.rowError.set(null);
    this.othersError.set('');
    this.status.set('');

    this.api.endOtherSessions().subscribe({
      next: (res) => {
        this.ending.set(null);
        this.remove((s) => !s.current);
        this.status.set(`Ended ${plural(res.sessions_ended)}. Only this one is left.`);
      },
      error: (err: unknown) => {
        this.ending.set(null);
        this.othersError.set(`Could not end your other sessions: ${errorMessage(err)}`);
      },
    });
  }

  /**
   * Drops ended sessions from the list. The button that had the focus is gone with its row, so
   * the focus goes back to the dialog's title rather than to the page behind the dialog.
   */
  private remove(ended: (session: SessionInfo) => boolean): void {
    this.sessions.update((sessions) => (sessions ?? []).filter((s) => !ended(s)));
    this.title().nativeElement.focus();
  }
}
