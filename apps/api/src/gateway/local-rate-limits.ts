import {
  FREE_SLOT,
  parallelLimited,
  RateLimits,
  RateSlot,
  requestsLimited,
  scopesOf,
  tokensLimited,
  WINDOW_MS,
} from './rate-limits';
import { GatewayCaller } from './gateway-keys';
import { once } from '../common/once';

interface Window {
  start: number;
  requests: number;
  tokens: number;
}

/**
 * Rate limits of a single instance, counted in this process in one-minute windows. With
 * several instances each would allow the whole limit: they use `RedisRateLimits` instead.
 */
export class LocalRateLimits extends RateLimits {
  private readonly windows = new Map<string, Window>();
  private readonly inFlight = new Map<string, number>();

  acquire(caller: GatewayCaller): Promise<RateSlot> {
    try {
      return Promise.resolve(this.take(caller));
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  private take(caller: GatewayCaller): RateSlot {
    if (!caller.credential) {
      return FREE_SLOT;
    }

    const { key } = caller.credential;
    const now = Date.now();
    const scopes = scopesOf(caller);

    // Check everything before counting anything, so a refused request costs no quota.
    for (const scope of scopes) {
      const window = this.window(scope.id, now);
      const retryAfter = Math.ceil((window.start + WINDOW_MS - now) / 1000);
      if (scope.rpm !== null && window.requests >= scope.rpm) {
        throw requestsLimited(scope.rpm, retryAfter);
      }
      if (scope.tpm !== null && window.tokens >= scope.tpm) {
        throw tokensLimited(scope.tpm, retryAfter);
      }
    }

    const parallel = this.inFlight.get(key.id) ?? 0;
    if (key.maxParallelRequests !== null && parallel >= key.maxParallelRequests) {
      throw parallelLimited(key.maxParallelRequests);
    }

    for (const scope of scopes) {
      this.window(scope.id, now).requests += 1;
    }
    this.inFlight.set(key.id, parallel + 1);

    return {
      release: once((tokens: number) => {
        this.inFlight.set(key.id, (this.inFlight.get(key.id) ?? 1) - 1);
        for (const scope of scopes) {
          this.window(scope.id, Date.now()).tokens += tokens;
        }
      }),
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
}
