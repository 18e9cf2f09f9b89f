import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { SpendEntry, SpendLedger } from '../spend/spend-ledger.service';

/** Waiting this long gathers the requests of a busy moment into one write. */
const BATCH_DELAY_MS = 10;
const BATCH_MAX = 500;
const ATTEMPTS = 5;

interface Pending {
  entry: SpendEntry;
  done: () => void;
}

/**
 * Writes the spend of requests after their answers have gone out, so callers never wait
 * for the database: entries gathered over a few milliseconds go in one statement, one
 * batch at a time. Failed writes are retried; at shutdown everything queued is written
 * before the process exits.
 *
 * TODO: a process killed without warning loses what is still queued (milliseconds'
 * worth); a local journal would close that gap.
 */
@Injectable()
export class SpendWriter implements OnApplicationShutdown {
  private readonly logger = new Logger('SpendWriter');
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly ledger: SpendLedger) {}

  /** Queues the entry; `done` runs once it is written (or, after retries, given up). */
  write(entry: SpendEntry, done: () => void): void {
    this.queue.push({ entry, done });
    if (this.queue.length >= BATCH_MAX) {
      this.schedule(0);
    } else if (!this.timer) {
      this.schedule(BATCH_DELAY_MS);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  /** Writes everything queued so far. */
  async flush(): Promise<void> {
    while (this.queue.length > 0 || this.timer) {
      this.schedule(0);
      await this.writing;
    }
    await this.writing;
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
    try {
      for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
        try {
          await this.ledger.recordMany(batch.map((pending) => pending.entry));

          return;
        } catch (error) {
          if (attempt === ATTEMPTS) {
            this.logger.error(
              { err: error, requests: batch.map((pending) => pending.entry.requestId) },
              'spend could not be recorded',
            );

            return;
          }
          await new Promise((done) => setTimeout(done, 100 * 2 ** attempt));
        }
      }
    } finally {
      batch.forEach((pending) => pending.done());
    }
  }
}
