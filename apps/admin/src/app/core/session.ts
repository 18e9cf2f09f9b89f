import { HttpClient } from '@angular/common/http';
import { Injectable, computed, inject, signal } from '@angular/core';
import {
  Action,
  ChangePasswordRequest,
  LoginRequest,
  LoginResponse,
  Scope,
  User,
  UserInfoResponse,
  can,
  scopeOf,
} from '@gatehouse/domain';
import { Observable, map, switchMap, tap } from 'rxjs';

import { BROWSER_LOCATION } from './browser-location';
import { handles401Itself } from './http-context';

/**
 * Who is signed in, and what the shared permission matrix lets that role do. The session itself
 * is an HttpOnly cookie the console never sees; this only mirrors `GET /user/info`.
 */
@Injectable({ providedIn: 'root' })
export class Session {
  private readonly http = inject(HttpClient);
  private readonly location = inject(BROWSER_LOCATION);
  private readonly current = signal<User | null>(null);

  /** The signed-in user, or null before sign-in and after the session ended. */
  readonly user = this.current.asReadonly();

  readonly role = computed(() => this.current()?.user_role ?? null);

  /** The name to show for the user: the email, or the id of a user created without one. */
  readonly displayName = computed(() => {
    const user = this.current();

    return user?.user_email ?? user?.user_id ?? '';
  });

  /** Whether the signed-in role may do `action` at all (own rows or all rows). */
  can(action: Action): boolean {
    return can(this.role(), action);
  }

  /** How far `action` reaches for the signed-in role: all rows, own rows, or none. */
  scope(action: Action): Scope {
    return scopeOf(this.role(), action);
  }

  /** Reads the current user from the session cookie; fails with status 401 when signed out. */
  load(): Observable<User> {
    return this.http.get<UserInfoResponse>('/user/info', { context: handles401Itself() }).pipe(
      map((info) => info.user_info),
      tap((user) => this.current.set(user)),
    );
  }

  /** Signs in with email and password (the server sets the cookies), then loads the user. */
  login(email: string, password: string): Observable<User> {
    const body: LoginRequest = { username: email, password };

    return this.http
      .post<LoginResponse>('/v2/login', body, { context: handles401Itself() })
      .pipe(switchMap(() => this.load()));
  }

  /** Takes a user the server returned with a fresh session (claiming an invitation). */
  signedIn(user: User): void {
    this.current.set(user);
  }

  /** Forgets the user locally, after the server said the session is gone. */
  clear(): void {
    this.current.set(null);
  }

  /**
   * Leaves the app for the server's logout, which ends the session, clears the cookies and
   * redirects to the configured logout page or back to the console.
   */
  logout(): void {
    this.current.set(null);
    this.location.assign('/sso/logout');
  }

  /** Changes the signed-in user's password; the server ends the user's other sessions. */
  changePassword(body: ChangePasswordRequest): Observable<unknown> {
    // A wrong current password must read as an error in the dialog, not as a sign-out.
    return this.http.post('/user/password/change', body, { context: handles401Itself() });
  }
}
