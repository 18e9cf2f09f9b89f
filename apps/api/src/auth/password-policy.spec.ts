import { passwordProblem } from './password-policy';

describe('the password policy', () => {
  it('accepts a long, uncommon passphrase', () => {
    expect(passwordProblem('correct horse battery staple')).toBeNull();
    expect(passwordProblem('Zx9!kq2#Lm4$')).toBeNull();
  });

  it('refuses fewer than 12 and more than 128 characters', () => {
    expect(passwordProblem('Zx9!kq2#Lm4')).toMatch(/at least 12/);
    expect(passwordProblem('a'.repeat(60) + 'bcdefghijk'.repeat(7))).toMatch(/at most 128/);
  });

  it('counts characters, not bytes', () => {
    expect(passwordProblem('ключ-доступа-7')).toBeNull();
    expect(passwordProblem('日本語のパスワ')).toMatch(/at least 12/);
  });

  it('refuses common passwords however they are decorated', () => {
    for (const password of [
      'password1234',
      'Password123!',
      'qwertyuiop12',
      '1q2w3e4r5t6y',
      'iloveyou2026',
      '123456789012',
      'letmeinletmein',
      'adminadminadmin',
      '!!Welcome2026',
    ]) {
      expect(passwordProblem(password)).toMatch(/too common/);
    }
  });

  it('refuses a password of too few different characters', () => {
    expect(passwordProblem('aaaaaaaaaaaaaaaa')).toMatch(/too few/);
    expect(passwordProblem('abababababababab')).toMatch(/too few/);
  });

  it('refuses a password that contains the email address', () => {
    expect(passwordProblem('ada.lovelace-2026!', 'ada.lovelace@example.com')).toMatch(/email/);
  });
});
