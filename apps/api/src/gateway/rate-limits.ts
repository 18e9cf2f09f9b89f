import { Injectable } from '@nestjs/common';
import { ApiError } from '../common/api-error';
import { GatewayCaller } from './gateway-keys';

const WINDOW_MS = 60_000;

interface Window {
  start: number;
  requests: number;
  tokens: number;
}

/** What the caller holds while its request runs; give it back when the request ends. */
export interface RateSlot {
  /** Counts the tokens the request used against the tpm limits, and frees its slot. */
  release(tokens: number): void;
}

/**
 * Requests per minute, tokens per minute and parallel requests, per key and per user,
 * counted in this process in one-minute windows.
 *
 * TODO: counters are per instance; several instances need them shared (Redis).
 */
@Injectable()
export class RateLimits {
  private readonly windows = new Map<string, Window>();
  private readonly inFlight = new Map<string, number>();

  acquire(caller: GatewayCaller): RateSlot {
    const credential = caller.credential;
    if (!credential) {
      return { release: () => undefined };
    }

    const { key, owner } = credential;
    const now = Date.now();
    const scopes = [
      { id: `key:${key.id}`, rpm: key.rpmLimit, tpm: key.tpmLimit },
      { id: `user:${key.userId}`, rpm: owner?.rpmLimit ?? null, tpm: owner?.tpmLimit ?? null },
    ].filter((scope) => scope.rpm !== null || scope.tpm !== null);

    // Check everything before counting anything, so a refused request costs no quota.
    for (const scope of scopes) {
      const window = this.window(scope.id, now);
      if (scope.rpm !== null && window.requests >= scope.rpm) {
        throw this.limited(`Rate limit reached: ${scope.rpm} requests per minute`, window, now);
      }
      if (scope.tpm !== null && window.tokens >= scope.tpm) {
        throw this.limited(`Rate limit reached: ${scope.tpm} tokens per minute`, window, now);
      }
    }

    const parallel = this.inFlight.get(key.id) ?? 0;
    if (key.maxParallelRequests !== null && parallel >= key.maxParallelRequests) {
      throw new ApiError(
        'rate_limited',
        `Too many parallel requests: at most ${key.maxParallelRequests} at a time`,
        null,
        { 'retry-after': '1' },
      );
    }

    for (const scope of scopes) {
      this.window(scope.id, now).requests += 1;
    }
    this.inFlight.set(key.id, parallel + 1);

    let released = false;

    return {
      release: (tokens: number) => {
        if (released) {
          return;
        }
        released = true;
        this.inFlight.set(key.id, (this.inFlight.get(key.id) ?? 1) - 1);
        for (const scope of scopes) {
          this.window(scope.id, Date.now()).tokens += tokens;
        }
      },
    };
  }

  private window(id: string, now: number): Window {
    const start = now - (now % WINDOW_MS);
    const current = this.windows.get(id);
    if (current && current.start === start) {
      return current;
    }

    const fresh = { start, requests: 0, tokens: 0 };
    this.windows.set(id, fresh);

    return fresh;
  }

  private limited(message: string, window: Window, now: number): ApiError {
    const retryAfter = Math.max(1, Math.ceil((window.start + WINDOW_MS - now) / 1000));

    return new ApiError('rate_limited', message, null, { 'retry-after': String(retryAfter) });
  }
}
