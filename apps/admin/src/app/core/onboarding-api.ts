import { HttpClient, HttpHeaders, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import {
  ClaimInvitationRequest,
  ClaimInvitationResponse,
  OnboardingTokenResponse,
} from '@gatehouse/domain';
import { Observable } from 'rxjs';

import { handles401Itself } from './http-context';

/**
 * Claiming an invitation link. Both calls are public: their 401 means a used, expired or
 * unknown link, which the onboarding page explains, so they skip the login redirect.
 */
@Injectable({ providedIn: 'root' })
export class OnboardingApi {
  private readonly http = inject(HttpClient);

  /** Checks the link and returns a short-lived onboarding token with the user's email. */
  getToken(invitationId: string): Observable<OnboardingTokenResponse> {
    const params = new HttpParams().set('invite_link', invitationId);

    return this.http.get<OnboardingTokenResponse>('/onboarding/get_token', {
      params,
      context: handles401Itself(),
    });
  }

  /** Sets the password and opens a session (the server sets the cookie). */
  claim(token: string, request: ClaimInvitationRequest): Observable<ClaimInvitationResponse> {
    return this.http.post<ClaimInvitationResponse>('/onboarding/claim_token', request, {
      headers: new HttpHeaders({ Authorization: `Bearer ${token}` }),
      context: handles401Itself(),
    });
  }
}
