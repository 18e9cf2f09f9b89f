import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiError } from '../common/api-error';
import { GatewayCaller } from './gateway-keys';

interface Holder {
  id: string;
  maxBudget: number;
}

interface Ledger {
  reserved: number;
  /** Budget reads under way; a reservation given back meanwhile waits for them. */
  reading: number;
  /** Settled amounts that a read started before the settle may not have seen yet. */
  deferred: number;
}

/** A reservation held while a request runs; settle it once its spend is recorded. */
export interface BudgetReservation {
  release(): void;
}

const NONE: BudgetReservation = { release: () => undefined };

/**
 * Budgets hold under concurrency: before forwarding, a request reserves its estimated
 * cost on the key and on its owner, and is refused when what is spent plus what is
 * reserved has reached the budget. So concurrent requests can overspend by at most one
 * request's cost. A key without budgets costs no database round trip.
 *
 * TODO: reservations are per instance; several instances need them shared (Redis).
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

    const ledgers = holders.map((holder) => this.ledger(holder.id));
    ledgers.forEach((ledger) => (ledger.reading += 1));
    let spent: number[];
    try {
      spent = await this.spentBy(caller);
    } finally {
      ledgers.forEach((ledger) => this.doneReading(ledger));
    }

    // From here to the reservation nothing awaits: the check and the reservation are one
    // step for this process.
    holders.forEach((holder, index) => {
      const committed = spent[index] + ledgers[index].reserved + ledgers[index].deferred;
      if (committed >= holder.maxBudget) {
        throw new ApiError(
          'budget_exceeded',
          `Budget has been exceeded: spent ${round(spent[index])} of ${holder.maxBudget}`,
        );
      }
    });
    ledgers.forEach((ledger) => (ledger.reserved += estimate));

    let released = false;

    return {
      release: () => {
        if (released) {
          return;
        }
        released = true;
        for (const ledger of ledgers) {
          ledger.reserved -= estimate;
          if (ledger.reading > 0) {
            ledger.deferred += estimate;
          }
        }
      },
    };
  }

  /** What the key and its owner have spent, in the order of `holdersOf`. */
  private async spentBy(caller: GatewayCaller): Promise<number[]> {
    const key = caller.credential?.key;
    const rows: { key_spend: string | null; user_spend: string | null }[] =
      await this.dataSource.query(
        `SELECT (SELECT spend FROM keys WHERE id = $1) AS key_spend,
                (SELECT spend FROM users WHERE user_id = $2) AS user_spend`,
        [key?.id, key?.userId ?? null],
      );
    const row = rows[0];
    const values: number[] = [];
    if (key?.maxBudget !== null && key?.maxBudget !== undefined) {
      values.push(Number(row?.key_spend ?? 0));
    }
    if (caller.credential?.owner?.maxBudget != null) {
      values.push(Number(row?.user_spend ?? 0));
    }

    return values;
  }

  private ledger(id: string): Ledger {
    let ledger = this.ledgers.get(id);
    if (!ledger) {
      ledger = { reserved: 0, reading: 0, deferred: 0 };
      this.ledgers.set(id, ledger);
    }

    return ledger;
  }

  private doneReading(ledger: Ledger): void {
    ledger.reading -= 1;
    if (ledger.reading === 0) {
      ledger.deferred = 0;
    }
  }
}

function holdersOf(caller: GatewayCaller): Holder[] {
  const credential = caller.credential;
  if (!credential) {
    return [];
  }

  const holders: Holder[] = [];
  if (credential.key.maxBudget !== null) {
    holders.push({ id: `key:${credential.key.id}`, maxBudget: credential.key.maxBudget });
  }
  if (credential.owner?.maxBudget != null && credential.key.userId) {
    holders.push({ id: `user:${credential.key.userId}`, maxBudget: credential.owner.maxBudget });
  }

  return holders;
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
