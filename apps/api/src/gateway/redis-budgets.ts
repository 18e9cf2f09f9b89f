import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { ApiError } from '../common/api-error';
import { RedisConnections } from '../redis/redis-connections';
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

/**
 * A reservation of a request that never settled (its instance died) lapses after this
 * long. Until then it keeps holding its estimate, which errs on the safe side.
 */
const LEASE_MS = 15 * 60_000;
/** A holder nobody used for this long is forgotten; the next request reads it again. */
const IDLE_MS = 60 * 60_000;
const ATTEMPTS = 3;

/**
 * The Lua below keeps, per holder, three Redis keys: a hash `state` with `spent` (the
 * database's total when last read), `settled` (costs settled by any instance since that
 * read), `reserved` (estimates of requests under way), `readAt` and `gen` (bumped by each
 * read); a sorted set `leases` of reservation ids by lease end; a hash `amounts` of each
 * reservation's estimate. A spend is settled only after it is in the database, so
 * spent + settled + reserved never falls below what was really committed.
 */
const TIME = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
`;

const LAPSE = `
local function lapse(state, leases, amounts, now)
  local expired = redis.call('ZRANGEBYSCORE', leases, '-inf', now)
  for _, id in ipairs(expired) do
    local amount = tonumber(redis.call('HGET', amounts, id) or '0')
    redis.call('HINCRBYFLOAT', state, 'reserved', -amount)
    redis.call('HDEL', amounts, id)
  end
  if #expired > 0 then redis.call('ZREMRANGEBYSCORE', leases, '-inf', now) end
  if redis.call('ZCARD', leases) == 0 then redis.call('HSET', state, 'reserved', 0) end
end
local function keep(h)
  for i = 1, 3 do redis.call('PEXPIRE', KEYS[h + i], ${IDLE_MS}) end
end
`;

/**
 * KEYS: state, leases, amounts of each holder. ARGV: reservation id, estimate, then each
 * holder's max budget. Answers {'ok'}; {'stale', holder, settled, gen} when a holder's
 * spend must be read from the database first; {'over', holder, spent}.
 */
const RESERVE = `${TIME}${LAPSE}
local holders = #KEYS / 3
for h = 0, holders - 1 do
  local state = KEYS[h * 3 + 1]
  lapse(state, KEYS[h * 3 + 2], KEYS[h * 3 + 3], now)
  local fields = redis.call('HMGET', state, 'readAt', 'settled', 'gen')
  if now - (tonumber(fields[1]) or 0) > ${SPENT_TTL_MS} then
    return {'stale', h + 1, fields[2] or '0', fields[3] or '0'}
  end
end
for h = 0, holders - 1 do
  local fields = redis.call('HMGET', KEYS[h * 3 + 1], 'spent', 'settled', 'reserved')
  local spent = (tonumber(fields[1]) or 0) + (tonumber(fields[2]) or 0)
  if spent + math.max(0, tonumber(fields[3]) or 0) >= tonumber(ARGV[h + 3]) then
    return {'over', h + 1, tostring(spent)}
  end
end
for h = 0, holders - 1 do
  redis.call('HINCRBYFLOAT', KEYS[h * 3 + 1], 'reserved', ARGV[2])
  redis.call('ZADD', KEYS[h * 3 + 2], now + ${LEASE_MS}, ARGV[1])
  redis.call('HSET', KEYS[h * 3 + 3], ARGV[1], ARGV[2])
  keep(h * 3)
end
return {'ok'}
`;

/**
 * KEYS: state of one holder. ARGV: the gen and settled seen before reading, the spend
 * read. Applies only when no other instance has read it meanwhile (same gen); then the
 * settlements seen before the read are in the database's figure and leave `settled`.
 */
const REFRESH = `${TIME}
local gen = redis.call('HGET', KEYS[1], 'gen') or '0'
if gen ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'spent', ARGV[3], 'readAt', now, 'gen', tonumber(gen) + 1)
redis.call('HINCRBYFLOAT', KEYS[1], 'settled', -tonumber(ARGV[2]))
redis.call('PEXPIRE', KEYS[1], ${IDLE_MS})
return 1
`;

/** KEYS: state, leases, amounts of each holder. ARGV: reservation id, real cost. */
const SETTLE = `${TIME}${LAPSE}
for h = 0, #KEYS / 3 - 1 do
  local state, leases, amounts = KEYS[h * 3 + 1], KEYS[h * 3 + 2], KEYS[h * 3 + 3]
  local amount = redis.call('HGET', amounts, ARGV[1])
  if amount then
    redis.call('HINCRBYFLOAT', state, 'reserved', -tonumber(amount))
    redis.call('HDEL', amounts, ARGV[1])
    redis.call('ZREM', leases, ARGV[1])
  end
  redis.call('HINCRBYFLOAT', state, 'settled', ARGV[2])
  lapse(state, leases, amounts, now)
  keep(h * 3)
end
return 1
`;

type Answer = ['ok'] | ['stale', number, string, string] | ['over', number, string];

interface BudgetScripts {
  gatehouseReserveBudget(keys: number, ...args: (string | number)[]): Promise<Answer>;
  /** Defined with its one key, so the key comes first instead of a key count. */
  gatehouseRefreshBudget(state: string, ...args: string[]): Promise<number>;
  gatehouseSettleBudget(keys: number, ...args: (string | number)[]): Promise<number>;
}

/**
 * Budgets shared by every instance: reservations and settlements live in Redis and are
 * checked and taken in one atomic step, so concurrent requests spread over any number of
 * instances overspend a budget by at most one request's cost. What was spent is read
 * from the database at most about once a second per holder, by whichever instance needs
 * it first. When Redis is away, requests of keys with a budget are refused with 503.
 */
export class RedisBudgets extends Budgets {
  private readonly logger = new Logger('Budgets');
  /** Reads of the database under way in this process, so a busy holder is read once. */
  private readonly reading = new Map<string, Promise<void>>();

  constructor(
    private readonly redis: RedisConnections,
    private readonly dataSource: DataSource,
  ) {
    super();
    for (const client of [redis.checks, redis.bookkeeping]) {
      client.defineCommand('gatehouseReserveBudget', { lua: RESERVE });
      client.defineCommand('gatehouseRefreshBudget', { numberOfKeys: 1, lua: REFRESH });
      client.defineCommand('gatehouseSettleBudget', { lua: SETTLE });
    }
  }

  async reserve(caller: GatewayCaller, estimate: number): Promise<BudgetReservation> {
    const holders = holdersOf(caller);
    if (holders.length === 0) {
      return NO_RESERVATION;
    }

    const id = randomUUID();
    const keys = holders.flatMap((holder) => this.keysOf(holder));
    const maxima = holders.map((holder) => holder.maxBudget);

    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const answer = await this.redis.check('budgets', (client) =>
        scripts(client).gatehouseReserveBudget(keys.length, ...keys, id, estimate, ...maxima),
      );

      if (answer[0] === 'ok') {
        return this.reservation(keys, id);
      }
      if (answer[0] === 'over') {
        throw budgetExceeded(Number(answer[2]), holders[answer[1] - 1]);
      }

      const [, index, settled, gen] = answer;
      await this.read(holders[index - 1], settled, gen);
    }

    // Only when every read went stale before it could be used: the database is crawling.
    throw new ApiError(
      'unavailable',
      'Budgets cannot be checked right now; try again shortly',
      null,
      {
        'retry-after': '1',
      },
    );
  }

  private reservation(keys: string[], id: string): BudgetReservation {
    return {
      settle: once((cost: number) => {
        scripts(this.redis.bookkeeping)
          .gatehouseSettleBudget(keys.length, ...keys, id, cost)
          .catch((error: Error) =>
            this.logger.warn({ err: error.message }, 'a budget reservation could not be settled'),
          );
      }),
    };
  }

  /** Reads the holder's spend from the database into Redis, once per holder at a time. */
  private async read(holder: BudgetHolder, settled: string, gen: string): Promise<void> {
    let reading = this.reading.get(holder.id);
    if (!reading) {
      reading = this.refresh(holder, settled, gen).finally(() => this.reading.delete(holder.id));
      this.reading.set(holder.id, reading);
    }

    await reading;
  }

  private async refresh(holder: BudgetHolder, settled: string, gen: string): Promise<void> {
    const { sql, params } = spentQuery(holder);
    const rows: { spend: string }[] = await this.dataSource.query(sql, params);
    const spent = String(Number(rows[0]?.spend ?? 0));

    await this.redis.check('budgets', (client) =>
      scripts(client).gatehouseRefreshBudget(this.keysOf(holder)[0], gen, settled, spent),
    );
  }

  private keysOf(holder: BudgetHolder): string[] {
    const state = this.redis.name('budget', holder.id);

    return [state, `${state}:leases`, `${state}:amounts`];
  }
}

function scripts(client: Redis): BudgetScripts {
  return client as unknown as BudgetScripts;
}
