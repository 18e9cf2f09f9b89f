import { CurrencyPipe, DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  OnInit,
  computed,
  inject,
  signal,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatPaginatorModule, PageEvent } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { GeneratedKey, KeyInfo } from '@gatehouse/domain';

import { errorMessage } from '../core/api-error';
import { KeysApi } from '../core/keys-api';
import { Session } from '../core/session';
import { UsersApi } from '../core/users-api';
import { ConfirmData, ConfirmDialog } from '../shared/confirm-dialog';
import { CreateKeyData, CreateKeyDialog, OwnerOption } from './create-key-dialog';
import { KeySecretData, KeySecretDialog } from './key-secret-dialog';
import { keyStatus } from './key-status';

/** The default page: the caller's keys (everyone's for admin roles), with what the role may do. */
@Component({
  selector: 'gh-keys-page',
  imports: [
    CurrencyPipe,
    DatePipe,
    MatButtonModule,
    MatIconModule,
    MatPaginatorModule,
    MatProgressBarModule,
    MatTableModule,
    MatTooltipModule,
  ],
  templateUrl: './keys-page.html',
  styleUrl: './keys-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class KeysPage implements OnInit {
  private readonly api = inject(KeysApi);
  private readonly usersApi = inject(UsersApi);
  private readonly dialog = inject(MatDialog);
  private readonly session = inject(Session);

  protected readonly canWrite = computed(() => this.session.can('keys.write'));

  /** Admin roles list everyone's keys, so they need to see whose each is. */
  protected readonly showOwner = computed(() => this.session.scope('keys.read') === 'all');

  protected readonly columns = computed(() => [
    'alias',
    'name',
    ...(this.showOwner() ? ['owner'] : []),
    'spend',
    'budget',
    'expires',
    'status',
    ...(this.canWrite() ? ['actions'] : []),
  ]);

  protected readonly keys = signal<KeyInfo[]>([]);
  protected readonly total = signal(0);
  protected readonly pageIndex = signal(0);
  protected readonly pageSize = signal(10);
  protected readonly loading = signal(false);
  protected readonly loadError = signal('');
  protected readonly actionError = signal('');

  /** Users by id, to show owners by email and to pick one when creating (admin roles only). */
  private readonly users = signal<OwnerOption[]>([]);
  private readonly emails = computed(() => new Map(this.users().map((u) => [u.userId, u.label])));

  protected readonly status = keyStatus;

  ngOnInit(): void {
    this.load();
    if (this.session.can('users.list')) {
      this.loadUsers();
    }
  }

  protected load(): void {
    this.loading.set(true);
    this.loadError.set('');

    this.api.list(this.pageIndex() + 1, this.pageSize()).subscribe({
      next: (page) => {
        // The last row of a later page was deleted: show the page before it instead.
        if (page.keys.length === 0 && this.pageIndex() > 0) {
          this.pageIndex.update((index) => index - 1);
          this.load();

          return;
        }

        this.keys.set(page.keys);
        this.total.set(page.total);
        this.loading.set(false);
        this.loadOwners(page.keys);
      },
      error: (err: unknown) => {
        this.loadError.set(`Could not load the keys: ${errorMessage(err)}`);
        this.loading.set(false);
      },
    });
  }

  protected changePage(event: PageEvent): void {
    this.pageIndex.set(event.pageIndex);
    this.pageSize.set(event.pageSize);
    this.load();
  }

  protected owner(key: KeyInfo): string {
    return key.user_id ? (this.emails().get(key.user_id) ?? key.user_id) : '—';
  }

  protected openCreate(): void {
    const self = this.session.user()?.user_id ?? '';
    // Only a role that may create keys for anyone picks the owner.
    const owners = this.session.scope('keys.write') === 'all' ? this.ownerOptions(self) : null;
    const data: CreateKeyData = { owners, selfId: self };
    const ref = this.dialog.open<CreateKeyDialog, CreateKeyData, GeneratedKey>(CreateKeyDialog, {
      data,
      width: '520px',
    });

    ref.afterClosed().subscribe((created) => {
      if (created) {
        this.showSecret(created, false);
        this.load();
      }
    });
  }

  protected confirmDelete(key: KeyInfo): void {
    this.confirm({
      title: 'Delete this key?',
      message: `${label(key)} stops working at once. This cannot be undone.`,
      confirm: 'Delete',
    }).subscribe((yes) => {
      if (!yes) {
        return;
      }

      this.actionError.set('');
      this.api.delete([key.token]).subscribe({
        next: () => this.load(),
        error: (err: unknown) =>
          this.actionError.set(`Could not delete ${label(key)}: ${errorMessage(err)}`),
      });
    });
  }

  protected confirmRegenerate(key: KeyInfo): void {
    this.confirm({
      title: 'Regenerate this key?',
      message: `${label(key)} gets a new secret; the current secret stops working at once.`,
      confirm: 'Regenerate',
    }).subscribe((yes) => {
      if (!yes) {
        return;
      }

      this.actionError.set('');
      this.api.regenerate(key.token).subscribe({
        next: (regenerated) => {
          this.showSecret(regenerated, true);
          this.load();
        },
        error: (err: unknown) =>
          this.actionError.set(`Could not regenerate ${label(key)}: ${errorMessage(err)}`),
      });
    });
  }

  private confirm(data: ConfirmData) {
    return this.dialog
      .open<ConfirmDialog, ConfirmData, boolean>(ConfirmDialog, { data })
      .afterClosed();
  }

  private showSecret(key: GeneratedKey, regenerated: boolean): void {
    // The dialog must be closed on purpose: a stray click outside would lose the secret.
    this.dialog.open<KeySecretDialog, KeySecretData>(KeySecretDialog, {
      data: { key, regenerated },
      disableClose: true,
      width: '560px',
    });
  }

  /** The signed-in user first, then the others by email. */
  private ownerOptions(self: string): OwnerOption[] {
    const others = this.users().filter((u) => u.userId !== self);

    return [{ userId: self, label: `${this.session.displayName()} (you)` }, ...others];
  }

  private loadUsers(): void {
    // TODO: the owner picker offers the first 100 users only; larger teams need a search field.
    this.usersApi.list({ page: 1, pageSize: 100 }).subscribe({
      next: (res) => this.remember(res.users),
      // Owners then show as ids; the table itself still works.
      error: () => undefined,
    });
  }

  /** The owners of the keys shown that are not known yet, asked for by id (admin roles). */
  private loadOwners(keys: KeyInfo[]): void {
    const known = this.emails();
    const missing = [...new Set(keys.map((key) => key.user_id))].filter(
      (id): id is string => id !== null && !known.has(id),
    );
    if (!this.session.can('users.list') || missing.length === 0) {
      return;
    }

    this.usersApi.list({ page: 1, pageSize: 100, userIds: missing }).subscribe({
      next: (res) => this.remember(res.users),
      error: () => undefined,
    });
  }

  private remember(found: { user_id: string; user_email: string | null }[]): void {
    this.users.update((users) => {
      const known = new Set(users.map((user) => user.userId));
      const added = found
        .filter((user) => !known.has(user.user_id))
        .map((user) => ({ userId: user.user_id, label: user.user_email ?? user.user_id }));

      return [...users, ...added];
    });
  }
}

function label(key: KeyInfo): string {
  return key.key_alias ? `"${key.key_alias}" (${key.key_name})` : key.key_name;
}
