import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { DEFAULT_ROLE, Invitation, NewUserResponse, Role } from '@gatehouse/domain';

import { errorMessage } from '../core/api-error';
import { UsersApi } from '../core/users-api';
import { ROLE_OPTIONS } from '../shared/roles';

/** What the dialog closes with: the new user and an invitation link for them. */
export interface NewUserResult {
  user: NewUserResponse;
  invitation: Invitation;
}

/**
 * Adds a user and creates an invitation link for them. Two calls: when the second fails, the
 * user exists already, so trying again only retries the invitation.
 */
@Component({
  selector: 'gh-new-user-dialog',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
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
  protected readonly created = signal<NewUserResponse | null>(null);

  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email]],
    role: [DEFAULT_ROLE as Role, Validators.required],
  });

  protected submit(): void {
    if (this.form.invalid || this.busy()) {
      this.form.markAllAsTouched();

      return;
    }

    this.busy.set(true);
    this.error.set('');
    const created = this.created();
    if (created) {
      this.invite(created);

      return;
    }

    const { email, role } = this.form.getRawValue();
    this.api
      .create({ user_email: email.trim(), user_role: role, auto_create_key: false })
      .subscribe({
        next: (user) => {
          this.created.set(user);
          this.form.disable();
          this.invite(user);
        },
        error: (err: unknown) => this.failed(errorMessage(err)),
      });
  }

  private invite(user: NewUserResponse): void {
    this.api.invite(user.user_id).subscribe({
      next: (invitation) => this.ref.close({ user, invitation }),
      error: (err: unknown) =>
        this.failed(`The user was added, but no invitation link was made: ${errorMessage(err)}`),
    });
  }

  private failed(message: string): void {
    this.busy.set(false);
    this.error.set(message);
  }
}
