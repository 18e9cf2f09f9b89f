import { createHmac } from 'node:crypto';
import { secretsEqual } from '../common/secrets';

/** How long the page that sets the password may take between opening the link and saving. */
export const ONBOARDING_TOKEN_TTL_MS = 15 * 60 * 1000;

/**
 * Short-lived tokens bound to one invitation, signed rather than stored so that opening
 * a link writes nothing. The signing key is derived from the master key, which every
 * instance shares.
 */
export class OnboardingTokens {
  private readonly signingKey: Buffer;

  constructor(masterKey: string) {
    this.signingKey = createHmac('sha256', masterKey).update('gatehouse onboarding').digest();
  }

  issue(invitationId: string, now = Date.now()): string {
    const payload = Buffer.from(
      JSON.stringify({ inv: invitationId, exp: now + ONBOARDING_TOKEN_TTL_MS }),
    ).toString('base64url');

    return `${payload}.${this.sign(payload)}`;
  }

  /** The invitation id a valid, unexpired token was issued for, or null. */
  verify(token: string, now = Date.now()): string | null {
    const [payload, signature, extra] = token.split('.');
    if (!payload || !signature || extra !== undefined) {
      return null;
    }
    if (!secretsEqual(signature, this.sign(payload))) {
      return null;
    }

    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      const valid = typeof claims.inv === 'string' && typeof claims.exp === 'number';

      return valid && claims.exp > now ? claims.inv : null;
    } catch {
      return null;
    }
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.signingKey).update(payload).digest('base64url');
  }
}
