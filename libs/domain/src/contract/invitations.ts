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
  /** Beyond LiteLLM: a password reset is the same kind of one-time link. */
  purpose: 'invitation' | 'password_reset';
  /** Whether the link was emailed: `not_requested`, `disabled` (no SMTP), `pending`, `sent`, `failed`. */
  email_status: 'not_requested' | 'disabled' | 'pending' | 'sent' | 'failed';
  email_error: string | null;
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

/** Password-reset links, for a user who already has an account, last a day. */
export const PASSWORD_RESET_TTL_MS = 24 * 60 * 60 * 1000;

/** A console session as its user sees it in the list of their sessions. */
export interface SessionInfo {
  session_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  user_agent: string | null;
  ip: string | null;
  /** The session this request was made with. */
  current: boolean;
}
