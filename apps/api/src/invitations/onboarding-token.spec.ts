import { ONBOARDING_TOKEN_TTL_MS, OnboardingTokens } from './onboarding-token';

describe('onboarding tokens', () => {
  const tokens = new OnboardingTokens('sk-master-key-for-tests');
  const invitation = '0b5d7a52-54a2-4b5b-9d0e-1c2f5c8f9a11';

  it('carry the invitation they were issued for', () => {
    expect(tokens.verify(tokens.issue(invitation))).toBe(invitation);
  });

  it('expire after 15 minutes', () => {
    const now = Date.now();
    const token = tokens.issue(invitation, now);

    expect(tokens.verify(token, now + ONBOARDING_TOKEN_TTL_MS - 1)).toBe(invitation);
    expect(tokens.verify(token, now + ONBOARDING_TOKEN_TTL_MS)).toBeNull();
  });

  it('are refused when altered or signed with another master key', () => {
    const token = tokens.issue(invitation);
    const [payload, signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ inv: 'other', exp: Date.now() + 1e6 }));

    expect(tokens.verify(`${forged.toString('base64url')}.${signature}`)).toBeNull();
    expect(tokens.verify(`${payload}.${signature}x`)).toBeNull();
    expect(new OnboardingTokens('sk-another-master-key').verify(token)).toBeNull();
    expect(tokens.verify('garbage')).toBeNull();
  });
});
