import { CurrencyPipe, DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  OnInit,
  computed,
  inject,
  signal,
} from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatMenuModule } from '@angular/material/menu';
import { MatPaginatorModule, PageEvent } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Invitation, Role, UserListResponse } from '@gatehouse/domain';

import { errorMessage } from '../core/api-error';
import { Session } from '../core/session';
import { UsersApi } from '../core/users-api';
import { ConfirmData, ConfirmDialog } from '../shared/confirm-dialog';
import { ROLE_LABELS, ROLE_OPTIONS } from '../shared/roles';
import { InvitationData, InvitationDialog } from './invitation-dialog';
import { NewUserDialog, NewUserResult } from './new-user-dialog';
import { PasswordResetData, PasswordResetDialog } from './password-reset-dialog';
import {
  blockConfirmation,
  deleteConfirmation,
  endSessionsConfirmation,
  resetConfirmation,
  roleConfirmation,
} from './user-confirmations';

type ListedUser = UserListResponse['users'][number];

/**
 * Internal users, for admin roles: search, add with an invitation link, change role, block,
 * reset a password, end sessions, delete. Only proxy_admin (`users.write`) sees the actions.
 */
@Component({
  selector: 'gh-users-page',
  imports: [
    CurrencyPipe,
    DatePipe,
    FormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatMenuModule,
    MatPaginatorModule,
    MatProgressBarModule,
    MatSelectModule,
    MatTableModule,
    MatTooltipModule,
  ],
  templateUrl: './users-page.html',
  styleUrl: './users-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UsersPage implements OnInit {
  private readonly api = inject(UsersApi);
  private readonly dialog = inject(MatDialog);
  private readonly session = inject(Session);

  protected readonly canWrite = computed(() => this.session.can('users.write'));
  protected readonly canInvite = computed(() => this.session.can('invitations.write'));
  protected readonly selfId = computed(() => this.session.user()?.user_id);
  protected readonly columns = computed(() => [
    'email',
    'role',
    'spend',
    'keys',
    'created',
    ...(this.canWrite() ? ['actions'] : []),
  ]);

  protected readonly roles = ROLE_OPTIONS;

  protected readonly users = signal<ListedUser[]>([]);
  protected readonly total = signal(0);
  protected readonly pageIndex = signal(0);
  protected readonly pageSize = signal(25);
  protected readonly search = signal('');
  protected readonly loading = signal(false);
  protected readonly loadError = signal('');
  protected readonly actionError = signal('');
  /** What the last row action did, when there is more to say than the row shows. */
  protected readonly actionStatus = signal('');

  ngOnInit(): void {
    this.load();
  }

  protected nameOf(user: ListedUser): string {
    return emailOf(user);
  }

  protected roleLabel(user: ListedUser): string {
    return ROLE_LABELS[user.user_role] ?? user.user_role;
  }

  protected load(): void {
    this.loading.set(true);
    this.loadError.set('');
    const query = { page: this.pageIndex() + 1, pageSize: this.pageSize(), email: this.search() };

    this.api.list(query).subscribe({
      next: (res) => {
        // The last row of a later page was deleted: show the page before it instead.
        if (res.users.length === 0 && this.pageIndex() > 0) {
          this.pageIndex.update((index) => index - 1);
          this.load();

          return;
        }

        this.users.set(res.users);
        this.total.set(res.total);
        this.loading.set(false);
      },
      error: (err: unknown) => {
        this.loadError.set(`Could not load the users: ${errorMessage(err)}`);
        this.loading.set(false);
      },
    });
  }

  /** A new search starts again from the first page. */
  protected applySearch(): void {
    this.pageIndex.set(0);
    this.load();
  }

  protected changePage(event: PageEvent): void {
    this.pageIndex.set(event.pageIndex);
    this.pageSize.set(event.pageSize);
    this.load();
  }

  protected openNewUser(): void {
    const ref = this.dialog.open<NewUserDialog, void, NewUserResult>(NewUserDialog, {
      width: '480px',
    });

    ref.afterClosed().subscribe((result) => {
      // A user may exist even when the dialog was cancelled after a failed invitation.
      this.load();
      if (result) {
        this.showInvitation(result.invitation, result.user.user_email ?? result.user.user_id, true);
      }
    });
  }

  /** A fresh invitation link for the user, emailed to them too when `sendEmail`. */
  protected invite(user: ListedUser, sendEmail = false): void {
    this.startAction();

    this.api.invite(user.user_id, sendEmail).subscribe({
      next: (invitation) => this.showInvitation(invitation, emailOf(user), false),
      error: (err: unknown) =>
        this.actionError.set(
          `Could not create an invitation link for ${emailOf(user)}: ${errorMessage(err)}`,
        ),
    });
  }

  /** A closed select changes value on arrow keys, so a new role waits for a confirmation. */
  protected changeRole(user: ListedUser, role: Role): void {
    const label = ROLE_LABELS[role] ?? role;
    this.confirm(
      roleConfirmation(emailOf(user), label),
      () => this.saveRole(user, role),
      // Declined: the select goes back to the role the user still has.
      () => this.load(),
    );
  }

  private saveRole(user: ListedUser, role: Role): void {
    this.api.update({ user_id: user.user_id, user_role: role }).subscribe({
      next: (res) =>
        this.users.update((users) =>
          users.map((u) => (u.user_id === user.user_id ? { ...u, ...res.data } : u)),
        ),
      error: (err: unknown) => {
        this.actionError.set(`Could not change the role of ${emailOf(user)}: ${errorMessage(err)}`);
        // Puts the select back to the role the server still has.
        this.load();
      },
    });
  }

  protected confirmDelete(user: ListedUser): void {
    this.confirm(deleteConfirmation(emailOf(user)), () =>
      this.api.delete([user.user_id]).subscribe({
        next: () => this.load(),
        error: (err: unknown) =>
          this.actionError.set(`Could not delete ${emailOf(user)}: ${errorMessage(err)}`),
      }),
    );
  }

  /** Blocking signs the user out and refuses their keys at once, so it asks first. */
  protected block(user: ListedUser): void {
    this.confirm(blockConfirmation(emailOf(user)), () => this.setBlocked(user, true));
  }

  protected unblock(user: ListedUser): void {
    this.startAction();
    this.setBlocked(user, false);
  }

  protected resetPassword(user: ListedUser): void {
    this.confirm(resetConfirmation(emailOf(user)), () =>
      this.api.resetPassword(user.user_id).subscribe({
        next: (reset) =>
          this.dialog.open<PasswordResetDialog, PasswordResetData>(PasswordResetDialog, {
            data: { reset, email: emailOf(user) },
            width: '560px',
          }),
        error: (err: unknown) =>
          this.actionError.set(
            `Could not reset the password of ${emailOf(user)}: ${errorMessage(err)}`,
          ),
      }),
    );
  }

  protected endSessions(user: ListedUser): void {
    this.confirm(endSessionsConfirmation(emailOf(user)), () =>
      this.api.endSessions(user.user_id).subscribe({
        next: ({ sessions_ended: ended }) =>
          this.actionStatus.set(
            ended === 0
              ? `${emailOf(user)} had no open sessions.`
              : `Ended ${ended === 1 ? '1 session' : `${ended} sessions`} of ${emailOf(user)}.`,
          ),
        error: (err: unknown) =>
          this.actionError.set(
            `Could not end the sessions of ${emailOf(user)}: ${errorMessage(err)}`,
          ),
      }),
    );
  }

  private setBlocked(user: ListedUser, blocked: boolean): void {
    this.api.setBlocked(user.user_id, blocked).subscribe({
      next: (updated) => {
        this.users.update((users) =>
          users.map((u) => (u.user_id === user.user_id ? { ...u, ...updated } : u)),
        );
        this.actionStatus.set(
          blocked
            ? `Blocked ${emailOf(user)}: signed out, and their keys are refused.`
            : `Unblocked ${emailOf(user)}.`,
        );
      },
      error: (err: unknown) =>
        this.actionError.set(
          `Could not ${blocked ? 'block' : 'unblock'} ${emailOf(user)}: ${errorMessage(err)}`,
        ),
    });
  }

  /** Runs `then` once the admin confirmed, after clearing the last action's messages. */
  private confirm(data: ConfirmData, then: () => void, otherwise?: () => void): void {
    const ref = this.dialog.open<ConfirmDialog, ConfirmData, boolean>(ConfirmDialog, { data });

    ref.afterClosed().subscribe((yes) => {
      if (yes) {
        this.startAction();
        then();
      } else {
        otherwise?.();
      }
    });
  }

  private startAction(): void {
    this.actionError.set('');
    this.actionStatus.set('');
  }

  private showInvitation(invitation: Invitation, email: string, created: boolean): void {
    this.dialog.open<InvitationDialog, InvitationData>(InvitationDialog, {
      data: { invitation, email, created },
      width: '560px',
    });
  }
}

function emailOf(user: ListedUser): string {
  return user.user_email ?? user.user_id;
}
