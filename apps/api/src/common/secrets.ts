import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A random URL-safe token; 32 bytes give 256 bits, well over the 128 that sessions need. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** How secrets are stored and looked up: their SHA-256, as lowercase hex. */
export function sha256Hex(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares two secrets in time that does not depend on where they differ. */
export function secretsEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a, 'utf8').digest();
  const right = createHash('sha256').update(b, 'utf8').digest();

  return timingSafeEqual(left, right);
}
