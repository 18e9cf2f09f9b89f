import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { DEFAULT_ROLE, Invitation, NewUserResponse, Role } from '@gatehouse/domain';
import { Observable } from 'rxjs';

import { errorMessage } from '../core/api-error';
import { NewUserWithInvitation, UsersApi } from '../core/users-api';
import { ROLE_OPTIONS } from '../shared/roles';

/** What the dialog closes with: the new user and an invitation link for them. */
export interface NewUserResult {
  user: NewUserResponse;
  invitation: Invitation;
}

/**
 * Adds a user with an invitation link for them. With "Send the invitation by email", the API
 * creates (and emails) the invitation along with the user and the dialog only reads it back;
 * without, the dialog creates it. Either way two calls: when the second fails, the user exists
 * already, so trying again only retries the invitation.
 */
@Component({
  selector: 'gh-new-user-dialog',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
  ],
  templateUrl: './new-user-dialog.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NewUserDialog {
  private readonly api = inject(UsersApi);
  private readonly ref = inject(MatDialogRef<NewUserDialog, NewUserResult>);

  protected readonly roles = ROLE_OPTIONS;
  protected readonly busy = signal(false);
  protected readonly error = signal('');

  /** Set once the user exists, so a retry does not add the user twice. */
  protected readonly created = signal<NewUserWithInvitation | null>(null);

  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email]],
    role: [DEFAULT_ROLE as Role, Validators.required],
    sendEmail: [true],
  });

  protected submit(): void {
    if (this.form.invalid || this.busy()) {
      this.form.markAllAsTouched();

      return;
    }

    this.busy.set(true);
    this.error.set('');
    // Closed now, the dialog would lose the new user's invitation link.
    this.ref.disableClose = true;
    const created = this.created();
    if (created) {
      this.invite(created);

      return;
    }

    const { email, role, sendEmail } = this.form.getRawValue();
    const request = { user_email: email.trim(), user_role: role, auto_create_key: false };
    this.api.create(sendEmail ? { ...request, send_invite_email: true } : request).subscribe({
      next: (user) => {
        this.created.set(user);
        this.form.disable();
        this.invite(user);
      },
      error: (err: unknown) => this.failed(errorMessage(err)),
    });
  }

  private invite(user: NewUserWithInvitation): void {
    // An invitation the API made with the user is read back, never made twice.
    const invitation: Observable<Invitation> = user.invitation_id
      ? this.api.invitation(user.invitation_id)
      : this.api.invite(user.user_id, this.form.getRawValue().sendEmail);
    const problem = user.invitation_id
      ? 'The user was added and invited, but the invitation could not be read'
      : 'The user was added, but no invitation link was made';

    invitation.subscribe({
      next: (found) => this.ref.close({ user, invitation: found }),
      error: (err: unknown) => this.failed(`${problem}: ${errorMessage(err)}`),
    });
  }

  private failed(message: string): void {
    this.busy.set(false);
    this.ref.disableClose = false;
    this.error.set(message);
  }
}
