import { Injectable } from '@nestjs/common';
import { ApiError } from '../common/api-error';

const WINDOW_MS = 15 * 60_000;

/** Failures of one email from one address before it must wait, and how long at most. */
const PAIR_FREE_FAILURES = 5;
const PAIR_MAX_LOCK_MS = 15 * 60_000;
/** Failures from one address, any emails: a password sprayer. */
const ADDRESS_FAILURES = 30;
/** Failures of one email from anywhere: a distributed guesser. The lock stays short, so */
/** that an attacker cannot keep the real user out for long. */
const ACCOUNT_FAILURES = 50;
const ACCOUNT_LOCK_MS = 60_000;

interface Counter {
  failures: number;
  windowStart: number;
  lockedUntil: number;
}

/**
 * Slows down password guessing. Failures are counted per email and client address, per
 * address, and per email; past a threshold the answer is 429 with `Retry-After`, for a
 * time that doubles with each further failure of the same pair. Unknown emails are
 * counted exactly like known ones, so the throttle tells nothing about which exist.
 *
 * TODO: counters live in this process; with several instances each counts on its own.
 */
@Injectable()
export class LoginThrottle {
  private readonly counters = new Map<string, Counter>();

  /** Refuses with 429 when the email or the address must wait. */
  check(email: string, address: string): void {
    const now = Date.now();
    const waits = [pair(email, address), byAddress(address), byAccount(email)]
      .map((id) => this.counters.get(id))
      .map((counter) => (counter && counter.lockedUntil > now ? counter.lockedUntil - now : 0));
    const wait = Math.max(...waits);

    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      throw new ApiError(
        'rate_limited',
        `Too many failed sign-ins; try again in ${seconds} seconds`,
        null,
        { 'retry-after': String(seconds) },
      );
    }
  }

  failed(email: string, address: string): void {
    const now = Date.now();

    const pairCounter = this.count(pair(email, address), now);
    if (pairCounter.failures >= PAIR_FREE_FAILURES) {
      const lock = Math.min(
        PAIR_MAX_LOCK_MS,
        30_000 * 2 ** (pairCounter.failures - PAIR_FREE_FAILURES),
      );
      pairCounter.lockedUntil = now + lock;
    }

    const addressCounter = this.count(byAddress(address), now);
    if (addressCounter.failures >= ADDRESS_FAILURES) {
      addressCounter.lockedUntil = addressCounter.windowStart + WINDOW_MS;
    }

    const accountCounter = this.count(byAccount(email), now);
    if (accountCounter.failures >= ACCOUNT_FAILURES) {
      accountCounter.lockedUntil = now + ACCOUNT_LOCK_MS;
    }

    this.prune(now);
  }

  /** A successful sign-in clears the pair's failures (not the address's or the account's). */
  succeeded(email: string, address: string): void {
    this.counters.delete(pair(email, address));
  }

  private count(id: string, now: number): Counter {
    let counter = this.counters.get(id);
    if (!counter || (now - counter.windowStart > WINDOW_MS && counter.lockedUntil <= now)) {
      counter = { failures: 0, windowStart: now, lockedUntil: 0 };
      this.counters.set(id, counter);
    }
    counter.failures += 1;

    return counter;
  }

  /** Keeps memory bounded: forget counters whose window and lock are both over. */
  private prune(now: number): void {
    if (this.counters.size < 10_000) {
      return;
    }
    for (const [id, counter] of this.counters) {
      if (now - counter.windowStart > WINDOW_MS && counter.lockedUntil <= now) {
        this.counters.delete(id);
      }
    }
  }
}

function pair(email: string, address: string): string {
  return `pair:${email.trim().toLowerCase()}:${address}`;
}

function byAddress(address: string): string {
  return `address:${address}`;
}

function byAccount(email: string): string {
  return `account:${email.trim().toLowerCase()}`;
}
