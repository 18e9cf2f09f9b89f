import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import {
  DeleteUsersResponse,
  Invitation,
  NewUserRequest,
  NewUserResponse,
  UpdateUserRequest,
  UpdateUserResponse,
  User,
  UserListResponse,
} from '@gatehouse/domain';
import { Observable } from 'rxjs';

// The three shapes below are what the API answers today; libs/domain does not declare them yet.

/** `/user/new` with `send_invite_email`: the API made (and is emailing) the invitation too. */
export interface NewUserWithInvitation extends NewUserResponse {
  invitation_id?: string;
  email_status?: Invitation['email_status'];
}

/** A password-reset link; `reset_link` is given only when the server cannot email it. */
export interface PasswordResetResponse {
  user_id: string;
  invitation: Invitation;
  reset_link: string | null;
}

export interface EndUserSessionsResponse {
  user_id: string;
  sessions_ended: number;
}

/** What to list: `page` counts from 1; `email` matches part of the address. */
export interface UserQuery {
  page: number;
  pageSize: number;
  email?: string;
  /** Only these users. */
  userIds?: string[];
}

/** The internal-user and invitation endpoints (admin roles only). */
@Injectable({ providedIn: 'root' })
export class UsersApi {
  private readonly http = inject(HttpClient);

  list(query: UserQuery): Observable<UserListResponse> {
    let params = new HttpParams().set('page', query.page).set('page_size', query.pageSize);
    const email = query.email?.trim();
    if (email) {
      params = params.set('user_email', email);
    }
    if (query.userIds?.length) {
      params = params.set('user_ids', query.userIds.join(','));
    }

    return this.http.get<UserListResponse>('/user/list', { params });
  }

  /** Adds a user. The console never asks for an auto-created key: users make their own. */
  create(request: NewUserRequest): Observable<NewUserWithInvitation> {
    return this.http.post<NewUserWithInvitation>('/user/new', {
      auto_create_key: false,
      ...request,
    });
  }

  update(request: UpdateUserRequest): Observable<UpdateUserResponse> {
    return this.http.post<UpdateUserResponse>('/user/update', request);
  }

  delete(userIds: string[]): Observable<DeleteUsersResponse> {
    return this.http.post<DeleteUsersResponse>('/user/delete', { user_ids: userIds });
  }

  /**
   * A new invitation link for the user, emailed to them when `sendEmail`; older open links stay
   * valid until they expire.
   */
  invite(userId: string, sendEmail = false): Observable<Invitation> {
    const body = sendEmail ? { user_id: userId, send_invite_email: true } : { user_id: userId };

    return this.http.post<Invitation>('/invitation/new', body);
  }

  /** One invitation as it is now: its `email_status` moves on while the email is sent. */
  invitation(invitationId: string): Observable<Invitation> {
    const params = new HttpParams().set('invitation_id', invitationId);

    return this.http.get<Invitation>('/invitation/info', { params });
  }

  /** Blocks or unblocks a user; blocking also ends their sessions and refuses their keys. */
  setBlocked(userId: string, blocked: boolean): Observable<User> {
    return this.http.post<User>(blocked ? '/user/block' : '/user/unblock', { user_id: userId });
  }

  /** Issues a one-day password-reset link, which the server emails when it can. */
  resetPassword(userId: string): Observable<PasswordResetResponse> {
    return this.http.post<PasswordResetResponse>('/user/password/reset', { user_id: userId });
  }

  /** Signs the user out of the console everywhere; their keys keep working. */
  endSessions(userId: string): Observable<EndUserSessionsResponse> {
    return this.http.post<EndUserSessionsResponse>('/user/sessions/end_all', { user_id: userId });
  }
}
