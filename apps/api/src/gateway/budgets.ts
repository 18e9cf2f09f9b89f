import { ApiError } from '../common/api-error';
import { GatewayCaller } from './gateway-keys';

/** Held while a request runs; settled with its real cost once that cost is recorded. */
export interface BudgetReservation {
  settle(cost: number): void;
}

/** A key or a user with a `max_budget`. */
export interface BudgetHolder {
  id: string;
  table: 'keys' | 'users';
  rowId: string;
  maxBudget: number;
}

export const NO_RESERVATION: BudgetReservation = { settle: () => undefined };

/** How long what the database says a holder spent is trusted before it is read again. */
export const SPENT_TTL_MS = 1_000;

/**
 * Budgets hold under concurrency: before forwarding, a request reserves its estimated
 * cost on its key and on the key's owner, and is refused once spent plus reserved has
 * reached the budget, so concurrent requests overspend by at most one request's cost.
 * One instance keeps the reservations in its own memory (`LocalBudgets`); several share
 * them in Redis (`RedisBudgets`). The gateway module picks one at start.
 */
export abstract class Budgets {
  /** Reserves the estimate on every budget of the caller, or refuses with 429. */
  abstract reserve(caller: GatewayCaller, estimate: number): Promise<BudgetReservation>;
}

export function holdersOf(caller: GatewayCaller): BudgetHolder[] {
  const credential = caller.credential;
  if (!credential) {
    return [];
  }

  const { key, owner } = credential;
  const holders: BudgetHolder[] = [];
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

export function budgetExceeded(spent: number, holder: BudgetHolder): ApiError {
  const rounded = Math.round(spent * 1e6) / 1e6;

  return new ApiError(
    'budget_exceeded',
    `Budget has been exceeded: spent ${rounded} of ${holder.maxBudget}`,
  );
}

/** What the database says a holder has spent (its running total). */
export function spentQuery(holder: BudgetHolder): { sql: string; params: string[] } {
  const column = holder.table === 'keys' ? 'id' : 'user_id';

  return { sql: `SELECT spend FROM ${holder.table} WHERE ${column} = $1`, params: [holder.rowId] };
}
