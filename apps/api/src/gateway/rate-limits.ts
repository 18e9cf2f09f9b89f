import { ApiError } from '../common/api-error';
import { GatewayCaller } from './gateway-keys';

/** The window of `rpm_limit` and `tpm_limit`. */
export const WINDOW_MS = 60_000;

/** What the caller holds while its request runs; give it back when the request ends. */
export interface RateSlot {
  /** Counts the tokens the request used against the tpm limits, and frees its slot. */
  release(tokens: number): void;
}

/** One holder of per-minute limits: the key, or the key's owner. */
export interface RateScope {
  id: string;
  rpm: number | null;
  tpm: number | null;
}

/**
 * Requests per minute, tokens per minute and parallel requests, per key and per user.
 * One instance counts in its own memory (`LocalRateLimits`); several share the counts in
 * Redis (`RedisRateLimits`). The gateway module picks one at start.
 */
export abstract class RateLimits {
  /** Takes a slot for the caller's request, or refuses it with 429 `rate_limit_error`. */
  abstract acquire(caller: GatewayCaller): Promise<RateSlot>;
}

export const FREE_SLOT: RateSlot = { release: () => undefined };

/** The key's and its owner's per-minute limits; scopes without any are left out. */
export function scopesOf(caller: GatewayCaller): RateScope[] {
  const { key, owner } = caller.credential!;

  return [
    { id: `key:${key.id}`, rpm: key.rpmLimit, tpm: key.tpmLimit },
    { id: `user:${key.userId}`, rpm: owner?.rpmLimit ?? null, tpm: owner?.tpmLimit ?? null },
  ].filter((scope) => scope.rpm !== null || scope.tpm !== null);
}

export function requestsLimited(rpm: number, retryAfterSeconds: number): ApiError {
  return limited(`Rate limit reached: ${rpm} requests per minute`, retryAfterSeconds);
}

export function tokensLimited(tpm: number, retryAfterSeconds: number): ApiError {
  return limited(`Rate limit reached: ${tpm} tokens per minute`, retryAfterSeconds);
}

export function parallelLimited(maxParallel: number): ApiError {
  return limited(`Too many parallel requests: at most ${maxParallel} at a time`, 1);
}

function limited(message: string, retryAfterSeconds: number): ApiError {
  return new ApiError('rate_limited', message, null, {
    'retry-after': String(Math.max(1, retryAfterSeconds)),
  });
}
