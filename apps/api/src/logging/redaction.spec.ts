import { redactUrl } from './redaction';

describe('redacting URLs for the log', () => {
  it('hides the values of secret query parameters and keeps the rest', () => {
    expect(redactUrl('/key/info?key=sk-abcdef1234567890&x=1')).toBe(
      '/key/info?key=%5Bredacted%5D&x=1',
    );
    expect(redactUrl('/onboarding/get_token?invite_link=abc')).toBe(
      '/onboarding/get_token?invite_link=%5Bredacted%5D',
    );
  });

  it('hides a key in the path', () => {
    expect(redactUrl('/key/sk-abcdef1234567890/regenerate')).toBe('/key/[redacted]/regenerate');
    expect(redactUrl(`/key/${'a1'.repeat(32)}/regenerate`)).toBe('/key/[redacted]/regenerate');
  });

  it('leaves plain paths alone', () => {
    expect(redactUrl('/user/list?page=2')).toBe('/user/list?page=2');
  });
});
