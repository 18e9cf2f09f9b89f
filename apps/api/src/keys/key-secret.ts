import { randomToken, sha256Hex } from '../common/secrets';

/** A new key: `sk-` and 32 URL-safe random characters (192 bits). */
export function newKeySecret(): string {
  return `sk-${randomToken(24)}`;
}

/** How a key is shown after creation: `sk-...` and its last four characters. */
export function keyNameOf(secret: string): string {
  return `sk-...${secret.slice(-4)}`;
}

/** The stored form of a key; endpoints accept either the plaintext or this token. */
export function keyTokenOf(secretOrToken: string): string {
  return isKeyToken(secretOrToken) ? secretOrToken : sha256Hex(secretOrToken);
}

export function isKeyToken(text: string): boolean {
  return /^[0-9a-f]{64}$/.test(text);
}
