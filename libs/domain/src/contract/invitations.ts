import { User } from './users';

export interface Invitation {
  id: string;
  user_id: string;
  is_accepted: boolean;
  accepted_at: string | null;
  expires_at: string;
  created_at: string;
  created_by: string | null;
  updated_at: string;
  updated_by: string | null;
}

export interface OnboardingTokenResponse {
  login_url: string;
  token: string;
  user_email: string | null;
  user_id: string;
}

export interface ClaimInvitationRequest {
  invitation_link: string;
  user_id: string;
  password: string;
}

export interface ClaimInvitationResponse {
  login_url: string;
  token: string;
  user_email: string | null;
  user: User;
}

/** Invitations are valid for exactly this long after they are created. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
