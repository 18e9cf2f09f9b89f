import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SpendLedger } from './spend-ledger.service';

/** Budget periods end on the minute at the latest: finer durations reset on this beat. */
const RESET_INTERVAL_MS = 15_000;

/**
 * Starts new budget periods on schedule. Every instance runs it; the reset is a single
 * conditional UPDATE, so instances racing each other reset a period once.
 */
@Injectable()
export class BudgetResets implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('BudgetResets');
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly ledger: SpendLedger) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.run(), RESET_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) {
      clearInterval(this.timer);
    }
  }

  async run(): Promise<void> {
    try {
      await this.ledger.resetDueBudgets();
    } catch (error) {
      this.logger.warn({ err: error }, 'budget reset failed; will retry');
    }
  }
}
