import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { isDatabaseUnreachable } from '../common/database-errors';
import { SpendEntry, SpendLedger } from '../spend/spend-ledger.service';

/** Waiting this long gathers the requests of a busy moment into one write. */
const BATCH_DELAY_MS = 10;
const BATCH_MAX = 500;
/** Attempts at a batch the database refuses (as opposed to one it cannot be reached for). */
const ATTEMPTS = 5;
const MAX_BACKOFF_MS = 5_000;
/**
 * At shutdown, how long the queue gets to reach the database once requests have drained;
 * less than what the process as a whole gets after SHUTDOWN_TIMEOUT.
 */
const SHUTDOWN_FLUSH_MS = 10_000;

interface Pending {
  entry: SpendEntry;
  done: () => void;
}

/**
 * Writes the spend of requests after their answers have gone out, so callers never wait
 * for the database: entries gathered over a few milliseconds go in one statement, one
 * batch at a time. While the database is unreachable a batch is retried until it is
 * back (a request id is recorded at most once, so a retry never counts twice). At
 * shutdown, once the HTTP server has drained, the spend of every request that was
 * forwarded is written before the process exits (for up to 10 s).
 *
 * TODO: a process killed without warning, or stopped while the database stays away, loses
 * what is still queued; a local journal would close that gap.
 */
@Injectable()
export class SpendWriter implements OnApplicationShutdown {
  private readonly logger = new Logger('SpendWriter');
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  /** Set at the shutdown deadline: batches stop retrying and report what is lost. */
  private givingUp = false;
  /** Requests forwarded whose spend has not been handed over yet. */
  private expected = 0;
  private wake: (() => void) | null = null;

  constructor(private readonly ledger: SpendLedger) {}

  /** A request is on its way upstream: its spend will come through `write`. */
  expect(): void {
    this.expected += 1;
  }

  /** Queues the entry; `done` runs once it is written (or, after retries, given up). */
  write(entry: SpendEntry, done: () => void): void {
    this.expected = Math.max(0, this.expected - 1);
    this.wake?.();
    this.queue.push({ entry, done });
    if (this.queue.length >= BATCH_MAX) {
      this.schedule(0);
    } else if (!this.timer) {
      this.schedule(BATCH_DELAY_MS);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>((done) => {
      timer = setTimeout(() => done('late'), SHUTDOWN_FLUSH_MS);
    });

    const outcome = await Promise.race([this.drain(), deadline]);
    clearTimeout(timer);
    if (outcome === 'late') {
      this.givingUp = true;
      await this.writing;
    }
  }

  /**
   * Writes what is queued and what requests still finishing hand over (a stream cut at
   * the shutdown deadline reports its spend a few ticks after its connection closed).
   */
  private async drain(): Promise<void> {
    for (;;) {
      await this.flush();
      if (this.expected === 0 && this.queue.length === 0) {
        return;
      }

      await new Promise<void>((done) => (this.wake = done));
      this.wake = null;
    }
  }

  /** Writes everything queued so far, and what is queued while that is written. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }

    do {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, BATCH_MAX);
        this.writing = this.writing.then(() => this.writeBatch(batch));
      }
      await this.writing;
    } while (this.queue.length > 0);
  }

  private schedule(delay: number): void {
    if (this.timer) {
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      const batch = this.queue.splice(0, BATCH_MAX);
      if (batch.length > 0) {
        this.writing = this.writing.then(() => this.writeBatch(batch));
      }
      if (this.queue.length > 0) {
        this.schedule(0);
      }
    }, delay);
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    const requests = () => batch.map((pending) => pending.entry.requestId);

    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await this.ledger.recordMany(batch.map((pending) => pending.entry));
          if (attempt > 1) {
            this.logger.log({ requests: batch.length, attempt }, 'spend recorded after retrying');
          }

          return;
        } catch (error) {
          const unreachable = isDatabaseUnreachable(error);
          if (this.givingUp || (!unreachable && attempt >= ATTEMPTS)) {
            this.logger.error(
              { err: messageOf(error), requests: requests() },
              'spend could not be recorded',
            );

            return;
          }
          if (attempt === 1) {
            this.logger.warn(
              { err: messageOf(error), requests: batch.length },
              unreachable
                ? 'database unreachable: spend kept in memory and retried until it is back'
                : 'spend not recorded; retrying',
            );
          }
          await new Promise((done) => setTimeout(done, backoff(attempt)));
        }
      }
    } finally {
      batch.forEach((pending) => pending.done());
    }
  }
}

function backoff(attempt: number): number {
  return Math.min(100 * 2 ** attempt, MAX_BACKOFF_MS);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
