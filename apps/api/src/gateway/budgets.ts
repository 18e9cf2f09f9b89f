import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiError } from '../common/api-error';
import { GatewayCaller } from './gateway-keys';

/** How long what the database says a holder spent is trusted before it is read again. */
const SPENT_TTL_MS = 1_000;

interface Holder {
  id: string;
  table: 'keys' | 'users';
  rowId: string;
  maxBudget: number;
}

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

/** Held while a request runs; settled with its real cost once that cost is recorded. */
export interface BudgetReservation {
  settle(cost: number): void;
}

const NONE: BudgetReservation = { settle: () => undefined };

/**
 * Budgets hold under concurrency: before forwarding, a request reserves its estimated
 * cost on its key and on the key's owner, and is refused once spent plus reserved has
 * reached the budget, so concurrent requests overspend by at most one request's cost.
 * What was spent is read from the database at most once a second per key or user and
 * kept up to date in between from this process's own settlements, so the hot path makes
 * no database round trip.
 *
 * TODO: reservations and settlements are per instance; several instances need them
 * shared (Redis), or each may overspend by what the others spent within a second.
 */
@Injectable()
export class Budgets {
  private readonly ledgers = new Map<string, Ledger>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async reserve(caller: GatewayCaller, estimate: number): Promise<BudgetReservation> {
    const holders = holdersOf(caller);
    if (holders.length === 0) {
      return NONE;
    }

    const ledgers = await Promise.all(holders.map((holder) => this.fresh(holder)));

    // No await between the check and the reservation: one step for this process.
    holders.forEach((holder, index) => {
      const ledger = ledgers[index];
      const spent = ledger.spent + ledger.settled;
      if (spent + ledger.reserved >= holder.maxBudget) {
        throw new ApiError(
          'budget_exceeded',
          `Budget has been exceeded: spent ${round(spent)} of ${holder.maxBudget}`,
        );
      }
    });
    ledgers.forEach((ledger) => (ledger.reserved += estimate));

    let settled = false;

    return {
      settle: (cost: number) => {
        if (settled) {
          return;
        }
        settled = true;
        for (const ledger of ledgers) {
          ledger.reserved -= estimate;
          ledger.settled += cost;
        }
      },
    };
  }

  /** Forgets what is known of every holder, for instance after a budget reset. */
  forget(): void {
    this.ledgers.clear();
  }

  private async fresh(holder: Holder): Promise<Ledger> {
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
  private async read(holder: Holder, ledger: Ledger): Promise<void> {
    const settledBefore = ledger.settled;
    const column = holder.table === 'keys' ? 'id' : 'user_id';
    const rows: { spend: string }[] = await this.dataSource.query(
      `SELECT spend FROM ${holder.table} WHERE ${column} = $1`,
      [holder.rowId],
    );

    ledger.spent = Number(rows[0]?.spend ?? 0);
    ledger.settled -= settledBefore;
    ledger.readAt = Date.now();
  }
}

function holdersOf(caller: GatewayCaller): Holder[] {
  const credential = caller.credential;
  if (!credential) {
    return [];
  }

  const { key, owner } = credential;
  const holders: Holder[] = [];
  if (key.maxBudget !== null) {
    holders.push({ id: `key:${key.id}`, table: 'keys', rowId: key.id, maxBudget: key.maxBudget });
  }
  if (owner?.maxBudget != null && key.userId) {
    holders.push({
      id: `user:${key.userId}`,
      table: 'users',
      rowId: key.userId,
      maxBudget: owner.maxBudget,
    });
  }

  return holders;
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
