import { DatePipe } from '@angular/common';
import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { Invitation, LogoutUrlResponse } from '@gatehouse/domain';
import { catchError, map, of } from 'rxjs';

import { BROWSER_LOCATION } from '../core/browser-location';
import { CopyField } from '../shared/copy-field';
import { emailStatusWords, followEmailStatus } from './email-status';

export interface InvitationData {
  invitation: Invitation;
  email: string;
  /** True right after adding the user, to say so in the title. */
  created: boolean;
}

/** The onboarding link for an invitation, on the given public origin. */
export function invitationLink(origin: string, invitationId: string): string {
  return `${origin}/ui/onboarding?id=${encodeURIComponent(invitationId)}`;
}

/**
 * Shows an invitation link to copy, with when it expires and whether the server emailed it: the
 * status follows a `pending` email until it was sent or failed.
 */
@Component({
  selector: 'gh-invitation-dialog',
  imports: [DatePipe, MatButtonModule, MatDialogModule, CopyField],
  template: `
    <h2 mat-dialog-title>{{ data.created ? 'User added' : 'Invitation link' }}</h2>
    <mat-dialog-content data-testid="invitation-dialog">
      <p
        role="status"
        [class.gh-error]="invitation().email_status === 'failed'"
        data-testid="invitation-email-status"
      >
        {{ emailStatus() }}
      </p>
      <p>
        The link lets <strong>{{ data.email }}</strong> choose a password and sign in; it works
        once.
      </p>
      <gh-copy-field [value]="link()" label="invitation link" testId="invitation-link" />
      <p class="gh-muted" data-testid="invitation-expiry">
        Expires {{ invitation().expires_at | date: 'medium' }}.
      </p>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-flat-button type="button" mat-dialog-close data-testid="invitation-done">
        Done
      </button>
    </mat-dialog-actions>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class InvitationDialog {
  protected readonly data = inject<InvitationData>(MAT_DIALOG_DATA);
  private readonly origin = inject(BROWSER_LOCATION).origin;

  protected readonly invitation = followEmailStatus(this.data.invitation);
  protected readonly emailStatus = computed(() =>
    emailStatusWords(this.invitation(), this.data.email),
  );

  /**
   * The server's PROXY_BASE_URL, which the invitee can reach, rather than the address the
   * admin happens to use; the browser's own origin until it is known.
   */
  private readonly publicBase = toSignal(
    inject(HttpClient)
      .get<LogoutUrlResponse>('/sso/get/logout_url')
      .pipe(
        map((urls) => urls.PROXY_BASE_URL),
        catchError(() => of(null)),
      ),
    { initialValue: null },
  );

  protected readonly link = computed(() =>
    invitationLink(this.publicBase() ?? this.origin, this.data.invitation.id),
  );
}
