import { KeyInfo } from '@gatehouse/domain';

export type KeyStatus = 'active' | 'blocked' | 'expired';

/** Whether a key works now. Blocked wins over expired: unblocking would not revive it anyway. */
export function keyStatus(key: Pick<KeyInfo, 'blocked' | 'expires'>, now = Date.now()): KeyStatus {
  if (key.blocked) {
    return 'blocked';
  }

  if (key.expires && Date.parse(key.expires) <= now) {
    return 'expired';
  }

  return 'active';
}
