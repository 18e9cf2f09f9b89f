import { randomUUID } from 'node:crypto';
import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Redis, RedisOptions } from 'ioredis';
import { ApiError } from '../common/api-error';
import { AppConfig } from '../config/app-config';

/** How long a command may wait for Redis before the request it serves is refused. */
const COMMAND_TIMEOUT_MS = 1_000;
const CONNECT_TIMEOUT_MS = 2_000;
const QUIT_TIMEOUT_MS = 2_000;

/**
 * The connections to the Redis that several instances share, when REDIS_URL is set.
 *
 * - `checks` carries the checks a request waits for (rate limits, budget reservations).
 *   It fails at once when Redis is away: a limit that cannot be checked refuses the
 *   request with 503 rather than letting it through unchecked.
 * - `bookkeeping` carries what must not be lost but need not be waited for (giving back
 *   rate-limit slots, settling budgets, announcing key changes). While Redis is away it
 *   queues them in memory and sends them once Redis is back.
 * - `subscriber` listens to what the other instances announce.
 *
 * Every key and channel name starts with REDIS_PREFIX, so deployments can share a Redis.
 * Without REDIS_URL none of this exists and `enabled` is false.
 *
 * TODO: the bookkeeping queue grows without bound while Redis stays away.
 */
@Injectable()
export class RedisConnections implements OnModuleInit, OnApplicationShutdown {
  /** This process, in messages it sends to the others. */
  readonly instanceId = randomUUID();
  readonly prefix: string;
  private readonly logger = new Logger('Redis');
  private clients: { checks: Redis; bookkeeping: Redis; subscriber: Redis } | null = null;
  private state: 'starting' | 'up' | 'down' | 'closing' = 'starting';

  constructor(config: AppConfig) {
    this.prefix = config.redisPrefix;
    if (config.redisUrl) {
      this.clients = {
        checks: this.connect(config.redisUrl, 'checks', {
          enableOfflineQueue: false,
          maxRetriesPerRequest: 0,
          commandTimeout: COMMAND_TIMEOUT_MS,
        }),
        bookkeeping: this.connect(config.redisUrl, 'bookkeeping', {
          enableOfflineQueue: true,
          maxRetriesPerRequest: null,
        }),
        subscriber: this.connect(config.redisUrl, 'subscriber', { maxRetriesPerRequest: null }),
      };
    }
  }

  get enabled(): boolean {
    return this.clients !== null;
  }

  get checks(): Redis {
    return this.required().checks;
  }

  get bookkeeping(): Redis {
    return this.required().bookkeeping;
  }

  get subscriber(): Redis {
    return this.required().subscriber;
  }

  /** A key or channel name of this deployment. */
  name(...parts: string[]): string {
    return `${this.prefix}${parts.join(':')}`;
  }

  /**
   * Runs a check that a request waits for; when Redis does not answer, the request is
   * refused with 503 in the contract's error shape instead of going on unchecked.
   */
  async check<T>(what: string, work: (redis: Redis) => Promise<T>): Promise<T> {
    try {
      return await work(this.checks);
    } catch (error) {
      this.logger.warn({ err: messageOf(error), check: what }, 'Redis check failed');

      throw new ApiError(
        'unavailable',
        `Cannot check ${what} right now (shared state unreachable); try again shortly`,
        null,
        { 'retry-after': '1' },
      );
    }
  }

  /**
   * Connects at start, but never blocks it: an instance whose Redis is away starts, says
   * so, answers readiness with 503 and refuses the requests that need Redis until it is back.
   */
  async onModuleInit(): Promise<void> {
    if (!this.clients) {
      return;
    }

    await Promise.all(
      Object.values(this.clients).map((client) => client.connect().catch(() => undefined)),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.clients) {
      return;
    }

    this.state = 'closing';
    // QUIT goes after what is queued, so releases and settlements still reach Redis.
    await Promise.all(
      Object.values(this.clients).map(async (client) => {
        const quit = client.quit().catch(() => undefined);
        const late = new Promise((done) => setTimeout(done, QUIT_TIMEOUT_MS).unref());
        await Promise.race([quit, late]);
        client.disconnect();
      }),
    );
  }

  private connect(url: string, role: string, options: RedisOptions): Redis {
    const client = new Redis(url, {
      lazyConnect: true,
      connectTimeout: CONNECT_TIMEOUT_MS,
      connectionName: `gatehouse-${role}`,
      // Keep trying for ever, at most every 2 s: Redis coming back needs nobody's help.
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
      ...options,
    });

    // One line when Redis goes away and one when it is back, not one per attempt.
    if (role === 'checks') {
      client.on('ready', () => this.reached());
      client.on('error', (error: Error) => this.lost(error.message));
      client.on('close', () => this.lost('connection closed'));
    } else {
      client.on('error', () => undefined);
    }

    return client;
  }

  private reached(): void {
    if (this.state === 'starting' || this.state === 'down') {
      const again = this.state === 'down';
      this.state = 'up';
      this.logger.log(
        { prefix: this.prefix },
        again ? 'Redis reachable again' : 'Redis connected: limits, budgets and key changes shared',
      );
    }
  }

  private lost(reason: string): void {
    if (this.state === 'starting' || this.state === 'up') {
      this.state = 'down';
      this.logger.error(
        { err: reason },
        'Redis unreachable: gateway requests with rate limits or budgets are refused with 503, ' +
          'and keys are read from the database on every request, until it is back',
      );
    }
  }

  private required(): NonNullable<RedisConnections['clients']> {
    if (!this.clients) {
      throw new Error('Redis is not configured (REDIS_URL)');
    }

    return this.clients;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
