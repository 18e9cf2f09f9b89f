import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { SessionInfo } from '@gatehouse/domain';
import { Observable } from 'rxjs';

/** How many sessions an "end" call ended: 0 when the session was already gone. */
export interface SessionsEnded {
  sessions_ended: number;
}

/** The signed-in user's own console sessions (any role: `account.use`). */
@Injectable({ providedIn: 'root' })
export class AccountApi {
  private readonly http = inject(HttpClient);

  /** Every open session of the signed-in user; `current` marks the one of this browser. */
  sessions(): Observable<SessionInfo[]> {
    return this.http.get<SessionInfo[]>('/user/sessions');
  }

  /** Ends one session; the server refuses to end another user's. */
  endSession(sessionId: string): Observable<SessionsEnded> {
    return this.http.post<SessionsEnded>('/user/sessions/end', { session_id: sessionId });
  }

  /** Ends every session but the current one. */
  endOtherSessions(): Observable<SessionsEnded> {
    return this.http.post<SessionsEnded>('/user/sessions/end_others', {});
  }
}
