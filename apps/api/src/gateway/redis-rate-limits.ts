import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { RedisConnections } from '../redis/redis-connections';
import { GatewayCaller } from './gateway-keys';
import {
  FREE_SLOT,
  parallelLimited,
  RateLimits,
  RateScope,
  RateSlot,
  requestsLimited,
  scopesOf,
  tokensLimited,
  WINDOW_MS,
} from './rate-limits';
import { once } from '../common/once';

/**
 * A slot of a request that never gave it back (its instance died) frees itself after
 * this long. Longer than any request should run, streams included.
 */
const SLOT_LEASE_MS = 15 * 60_000;

/**
 * Checks every limit, then counts the request in every window and takes a parallel slot,
 * in one step for all instances. Time is Redis's, so the instances agree on the minute.
 *
 * KEYS[1] the key's parallel slots (a sorted set of slot ids by lease end), then the base
 * name of each scope's windows. ARGV: slot id, max parallel (-1: none), lease, then rpm
 * and tpm of each scope (-1: none). Answers {'ok'} or {limit, value, retry after s}.
 */
const ACQUIRE = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local window = now - (now % ${WINDOW_MS})
local retry = math.ceil((window + ${WINDOW_MS} - now) / 1000)
for i = 2, #KEYS do
  local counts = redis.call('HMGET', KEYS[i] .. ':' .. window, 'requests', 'tokens')
  local rpm = tonumber(ARGV[2 + (i - 1) * 2])
  local tpm = tonumber(ARGV[3 + (i - 1) * 2])
  if rpm >= 0 and (tonumber(counts[1]) or 0) >= rpm then return {'rpm', rpm, retry} end
  if tpm >= 0 and (tonumber(counts[2]) or 0) >= tpm then return {'tpm', tpm, retry} end
end
local maxParallel = tonumber(ARGV[2])
if maxParallel >= 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
  if redis.call('ZCARD', KEYS[1]) >= maxParallel then return {'parallel', maxParallel, 1} end
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
end
for i = 2, #KEYS do
  local name = KEYS[i] .. ':' .. window
  redis.call('HINCRBY', name, 'requests', 1)
  redis.call('PEXPIRE', name, ${2 * WINDOW_MS})
end
return {'ok'}
`;

/** Frees the slot and counts the tokens in the current window of each scope. */
const RELEASE = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local window = now - (now % ${WINDOW_MS})
redis.call('ZREM', KEYS[1], ARGV[1])
local tokens = tonumber(ARGV[2])
if tokens > 0 then
  for i = 2, #KEYS do
    local name = KEYS[i] .. ':' .. window
    redis.call('HINCRBY', name, 'tokens', tokens)
    redis.call('PEXPIRE', name, ${2 * WINDOW_MS})
  end
end
return 1
`;

type Answer = ['ok'] | ['rpm' | 'tpm' | 'parallel', number, number];

interface LimitScripts {
  gatehouseAcquireSlot(keys: number, ...args: (string | number)[]): Promise<Answer>;
  gatehouseReleaseSlot(keys: number, ...args: (string | number)[]): Promise<number>;
}

/**
 * Rate limits shared by every instance: the counts live in Redis, so a key's limits hold
 * however its requests are spread. A key without limits costs no Redis round trip; one
 * with limits costs one to take its slot (refused with 503 when Redis is away) and one,
 * not waited for, to give it back.
 */
export class RedisRateLimits extends RateLimits {
  private readonly logger = new Logger('RateLimits');

  constructor(private readonly redis: RedisConnections) {
    super();
    for (const client of [redis.checks, redis.bookkeeping]) {
      client.defineCommand('gatehouseAcquireSlot', { lua: ACQUIRE });
      client.defineCommand('gatehouseReleaseSlot', { lua: RELEASE });
    }
  }

  async acquire(caller: GatewayCaller): Promise<RateSlot> {
    if (!caller.credential) {
      return FREE_SLOT;
    }

    const { key } = caller.credential;
    const scopes = scopesOf(caller);
    const maxParallel = key.maxParallelRequests;
    if (scopes.length === 0 && maxParallel === null) {
      return FREE_SLOT;
    }

    const slotId = randomUUID();
    const keys = [this.redis.name('slots', key.id), ...scopes.map((s) => this.windowName(s))];
    const answer = await this.redis.check('rate limits', (client) =>
      scripts(client).gatehouseAcquireSlot(
        keys.length,
        ...keys,
        slotId,
        maxParallel ?? -1,
        SLOT_LEASE_MS,
        ...scopes.flatMap((scope) => [scope.rpm ?? -1, scope.tpm ?? -1]),
      ),
    );
    refuseOver(answer);

    return {
      release: once((tokens: number) => {
        scripts(this.redis.bookkeeping)
          .gatehouseReleaseSlot(keys.length, ...keys, slotId, tokens)
          .catch((error: Error) =>
            this.logger.warn({ err: error.message }, 'a rate-limit slot could not be given back'),
          );
      }),
    };
  }

  private windowName(scope: RateScope): string {
    return this.redis.name('rate', scope.id);
  }
}

function refuseOver(answer: Answer): void {
  const [limit, value, retryAfter] = answer;
  switch (limit) {
    case 'ok':
      return;
    case 'rpm':
      throw requestsLimited(value, retryAfter);
    case 'tpm':
      throw tokensLimited(value, retryAfter);
    case 'parallel':
      throw parallelLimited(value);
  }
}

function scripts(client: Redis): LimitScripts {
  return client as unknown as LimitScripts;
}
