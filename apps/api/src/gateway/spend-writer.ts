import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { SpendEntry, SpendLedger } from '../spend/spend-ledger.service';

const ATTEMPTS = 5;

/**
 * Writes each request's spend after its response has gone out, so the caller does not
 * wait for the database. Failed writes are retried; at shutdown every pending write is
 * finished before the process exits.
 *
 * TODO: a process killed without warning loses the writes still pending (milliseconds'
 * worth); a local journal would close that gap.
 */
@Injectable()
export class SpendWriter implements OnApplicationShutdown {
  private readonly logger = new Logger('SpendWriter');
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly ledger: SpendLedger) {}

  /** Records the entry in the background; `done` runs once it is written (or given up). */
  write(entry: SpendEntry, done: () => void): void {
    const work = this.writeWithRetries(entry).finally(() => {
      done();
      this.pending.delete(work);
    });
    this.pending.add(work);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  async flush(): Promise<void> {
    while (this.pending.size > 0) {
      await Promise.allSettled([...this.pending]);
    }
  }

  private async writeWithRetries(entry: SpendEntry): Promise<void> {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        await this.ledger.record(entry);

        return;
      } catch (error) {
        if (attempt === ATTEMPTS) {
          this.logger.error(
            { err: error, requestId: entry.requestId, spend: entry.spend, model: entry.model },
            'spend could not be recorded',
          );

          return;
        }
        await new Promise((done) => setTimeout(done, 100 * 2 ** attempt));
      }
    }
  }
}
