import { createHash } from 'node:crypto';

/**
 * How logs name a one-time link. Its id is what the link carries, so whoever reads it
 * could claim the link; a short digest still lets lines about one link be joined up.
 */
export function linkRef(invitationId: string): string {
  return createHash('sha256').update(invitationId).digest('hex').slice(0, 12);
}
