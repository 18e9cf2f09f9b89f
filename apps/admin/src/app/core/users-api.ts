import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import {
  DeleteUsersResponse,
  Invitation,
  NewUserRequest,
  NewUserResponse,
  UpdateUserRequest,
  UpdateUserResponse,
  UserListResponse,
} from '@gatehouse/domain';
import { Observable } from 'rxjs';

/** What to list: `page` counts from 1; `email` matches part of the address. */
export interface UserQuery {
  page: number;
  pageSize: number;
  email?: string;
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

    return this.http.get<UserListResponse>('/user/list', { params });
  }

  /** Adds a user. The console never asks for an auto-created key: users make their own. */
  create(request: NewUserRequest): Observable<NewUserResponse> {
    return this.http.post<NewUserResponse>('/user/new', { auto_create_key: false, ...request });
  }

  update(request: UpdateUserRequest): Observable<UpdateUserResponse> {
    return this.http.post<UpdateUserResponse>('/user/update', request);
  }

  delete(userIds: string[]): Observable<DeleteUsersResponse> {
    return this.http.post<DeleteUsersResponse>('/user/delete', { user_ids: userIds });
  }

  /** A new invitation link for the user; older open links stay valid until they expire. */
  invite(userId: string): Observable<Invitation> {
    return this.http.post<Invitation>('/invitation/new', { user_id: userId });
  }
}
