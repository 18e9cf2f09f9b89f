import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';

import { PasswordResetResponse } from '../core/users-api';
import { CopyField } from '../shared/copy-field';
import { emailStatusWords, followEmailStatus } from './email-status';

export interface PasswordResetData {
  reset: PasswordResetResponse;
  email: string;
}

/**
 * What became of a password reset: emailed to the user, or (when the server cannot email) the
 * link for the admin to pass on. The server hands out the link only in that case, so a failed
 * email offers another reset rather than the link.
 */
@Component({
  selector: 'gh-password-reset-dialog',
  imports: [DatePipe, MatButtonModule, MatDialogModule, CopyField],
  template: `
    <h2 mat-dialog-title>Password reset</h2>
    <mat-dialog-content data-testid="reset-dialog">
      <p
        role="status"
        [class.gh-error]="invitation().email_status === 'failed'"
        data-testid="reset-status"
      >
        {{ status() }}
      </p>
      @if (data.reset.reset_link; as link) {
        <gh-copy-field [value]="link" label="password reset link" testId="reset-link" />
      }
      <p class="gh-muted" data-testid="reset-expiry">
        The link works once and expires {{ invitation().expires_at | date: 'medium' }}. Using it
        signs {{ data.email }} out everywhere.
      </p>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-flat-button type="button" mat-dialog-close data-testid="reset-done">Done</button>
    </mat-dialog-actions>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PasswordResetDialog {
  protected readonly data = inject<PasswordResetData>(MAT_DIALOG_DATA);
  protected readonly invitation = followEmailStatus(this.data.reset.invitation);
  protected readonly status = computed(() =>
    emailStatusWords({ ...this.invitation(), purpose: 'password_reset' }, this.data.email),
  );
}
