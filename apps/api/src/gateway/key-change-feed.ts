import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { KeyEvents } from '../keys/key-events';
import { RedisConnections } from '../redis/redis-connections';
import { GatewayKeys } from './gateway-keys';

interface KeyChange {
  /** The instance the change was made on. */
  from: string;
  /** Digests of the keys that changed (never their secrets). */
  tokens: string[];
}

/**
 * Keeps the key caches of several instances honest, over Redis pub/sub: a key blocked,
 * deleted, regenerated or updated on one instance is dropped from every other's cache
 * within milliseconds, not when its cache entry runs out. While the subscription is down
 * the cache is not used at all, so a change can never go unheard for long.
 * Without REDIS_URL there is nobody to tell and this does nothing.
 */
@Injectable()
export class KeyChangeFeed implements OnApplicationBootstrap {
  private readonly logger = new Logger('KeyChangeFeed');
  private readonly channel: string;

  constructor(
    private readonly redis: RedisConnections,
    private readonly events: KeyEvents,
    private readonly keys: GatewayKeys,
  ) {
    this.channel = redis.name('key-changes');
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.redis.enabled) {
      return;
    }

    this.events.onChange((tokens) => this.announce(tokens));

    const subscriber = this.redis.subscriber;
    subscriber.on('message', (channel: string, message: string) => this.heard(channel, message));
    subscriber.on('close', () => this.keys.trustCache(false));
    subscriber.on('ready', () => void this.listen());
    await this.listen();
  }

  /** Subscribes (again), and only then lets the cache answer. */
  private async listen(): Promise<void> {
    this.keys.trustCache(false);
    try {
      await this.redis.subscriber.subscribe(this.channel);
      this.keys.trustCache(true);
    } catch (error) {
      this.logger.warn(
        { err: (error as Error).message },
        'cannot hear key changes of other instances; keys are read on every request until then',
      );
    }
  }

  private announce(tokens: string[]): void {
    const change: KeyChange = { from: this.redis.instanceId, tokens };
    // Queued while Redis is away, and sent once it is back.
    this.redis.bookkeeping
      .publish(this.channel, JSON.stringify(change))
      .catch((error: Error) =>
        this.logger.warn({ err: error.message }, 'could not tell other instances a key changed'),
      );
  }

  private heard(channel: string, message: string): void {
    if (channel !== this.channel) {
      return;
    }

    try {
      const change = JSON.parse(message) as KeyChange;
      if (change.from !== this.redis.instanceId && Array.isArray(change.tokens)) {
        this.keys.forget(change.tokens.filter((token) => typeof token === 'string'));
      }
    } catch {
      this.logger.warn('ignored a key change message that is not JSON');
    }
  }
}
