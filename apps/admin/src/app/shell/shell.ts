import { BreakpointObserver, Breakpoints } from '@angular/cdk/layout';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatDividerModule } from '@angular/material/divider';
import { MatIconModule } from '@angular/material/icon';
import { MatListModule } from '@angular/material/list';
import { MatMenuModule } from '@angular/material/menu';
import { MatSidenavModule } from '@angular/material/sidenav';
import { MatToolbarModule } from '@angular/material/toolbar';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { Action } from '@gatehouse/domain';
import { map } from 'rxjs';

import { Session } from '../core/session';
import { ROLE_LABELS } from '../shared/roles';
import { ChangePasswordDialog } from './change-password-dialog';
import { SessionsDialog } from './sessions-dialog';

interface NavItem {
  path: string;
  label: string;
  icon: string;
  /** Shown only when the role may do this. */
  action: Action;
}

const NAV: NavItem[] = [
  { path: '/keys', label: 'Virtual Keys', icon: 'vpn_key', action: 'keys.read' },
  { path: '/users', label: 'Internal Users', icon: 'group', action: 'users.list' },
  { path: '/usage', label: 'Usage', icon: 'bar_chart', action: 'spend.read' },
];

/** The signed-in frame: toolbar with the account menu, side navigation, and the page. */
@Component({
  selector: 'gh-shell',
  imports: [
    RouterOutlet,
    RouterLink,
    RouterLinkActive,
    MatButtonModule,
    MatDividerModule,
    MatIconModule,
    MatListModule,
    MatMenuModule,
    MatSidenavModule,
    MatToolbarModule,
  ],
  templateUrl: './shell.html',
  styleUrl: './shell.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Shell {
  protected readonly session = inject(Session);
  private readonly dialog = inject(MatDialog);

  /** On narrow screens the navigation slides over the page instead of sitting beside it. */
  protected readonly narrow = toSignal(
    inject(BreakpointObserver)
      .observe([Breakpoints.XSmall, Breakpoints.Small])
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );

  protected readonly nav = computed(() => NAV.filter((item) => this.session.can(item.action)));

  protected readonly roleLabel = computed(() => {
    const role = this.session.role();

    return role ? ROLE_LABELS[role] : '';
  });

  protected changePassword(): void {
    this.dialog.open(ChangePasswordDialog, { autoFocus: 'first-tabbable' });
  }

  /** The list loads after opening, so the focus starts on the title rather than on a button. */
  protected openSessions(): void {
    this.dialog.open(SessionsDialog, { width: '640px', autoFocus: 'first-heading' });
  }

  protected logout(): void {
    this.session.logout();
  }
}
