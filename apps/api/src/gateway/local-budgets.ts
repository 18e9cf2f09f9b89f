import { DataSource } from 'typeorm';
import { GatewayCaller } from './gateway-keys';
import {
  BudgetHolder,
  BudgetReservation,
  budgetExceeded,
  Budgets,
  holdersOf,
  NO_RESERVATION,
  SPENT_TTL_MS,
  spentQuery,
} from './budgets';
import { once } from '../common/once';

interface Ledger {
  /** Spend as last read from the database. */
  spent: number;
  /** Spend recorded by this process since that read. */
  settled: number;
  /** Estimates of requests under way. */
  reserved: number;
  readAt: number;
  reading: Promise<void> | null;
}

/**
 * Budgets of a single instance. What was spent is read from the database at most once a
 * second per key or user and kept up to date in between from this process's own
 * settlements, so the hot path makes no database round trip. With several instances each
 * would miss what the others spent within that second: they use `RedisBudgets` instead.
 */
export class LocalBudgets extends Budgets {
  private readonly ledgers = new Map<string, Ledger>();

  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async reserve(caller: GatewayCaller, estimate: number): Promise<BudgetReservation> {
    const holders = holdersOf(caller);
    if (holders.length === 0) {
      return NO_RESERVATION;
    }

    const ledgers = await Promise.all(holders.map((holder) => this.fresh(holder)));

    // No await between the check and the reservation: one step for this process.
    holders.forEach((holder, index) => {
      const ledger = ledgers[index];
      const spent = ledger.spent + ledger.settled;
      if (spent + ledger.reserved >= holder.maxBudget) {
        throw budgetExceeded(spent, holder);
      }
    });
    ledgers.forEach((ledger) => (ledger.reserved += estimate));

    return {
      settle: once((cost: number) => {
        for (const ledger of ledgers) {
          ledger.reserved -= estimate;
          ledger.settled += cost;
        }
      }),
    };
  }

  /** Forgets what is known of every holder, for instance after a budget reset. */
  forget(): void {
    this.ledgers.clear();
  }

  private async fresh(holder: BudgetHolder): Promise<Ledger> {
    let ledger = this.ledgers.get(holder.id);
    if (!ledger) {
      ledger = { spent: 0, settled: 0, reserved: 0, readAt: 0, reading: null };
      this.ledgers.set(holder.id, ledger);
    }

    if (Date.now() - ledger.readAt > SPENT_TTL_MS) {
      ledger.reading ??= this.read(holder, ledger).finally(() => {
        ledger.reading = null;
      });
      await ledger.reading;
    }

    return ledger;
  }

  /**
   * Settlements made while the read was under way may or may not be in what it returns;
   * they are kept, so the figure errs on the high side until the next read.
   */
  private async read(holder: BudgetHolder, ledger: Ledger): Promise<void> {
    const settledBefore = ledger.settled;
    const { sql, params } = spentQuery(holder);
    const rows: { spend: string }[] = await this.dataSource.query(sql, params);

    ledger.spent = Number(rows[0]?.spend ?? 0);
    ledger.settled -= settledBefore;
    ledger.readAt = Date.now();
  }
}
