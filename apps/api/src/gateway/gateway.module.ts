import { Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { KeysModule } from '../keys/keys.module';
import { MetricsModule } from '../metrics/metrics.module';
import { RedisConnections } from '../redis/redis-connections';
import { SpendModule } from '../spend/spend.module';
import { Budgets } from './budgets';
import { GatewayController } from './gateway.controller';
import { GatewayKeys } from './gateway-keys';
import { GatewayService } from './gateway.service';
import { KeyChangeFeed } from './key-change-feed';
import { LocalBudgets } from './local-budgets';
import { LocalRateLimits } from './local-rate-limits';
import { ModelRouter } from './model-router';
import { RateLimits } from './rate-limits';
import { RedisBudgets } from './redis-budgets';
import { RedisRateLimits } from './redis-rate-limits';
import { SpendWriter } from './spend-writer';
import { Upstream } from './upstream';

/**
 * The OpenAI-compatible gateway that the virtual keys unlock. Rate limits and budgets are
 * kept in this process, or in Redis when REDIS_URL is set so that several instances share
 * them: the choice is made once, here, at start.
 */
@Module({
  imports: [KeysModule, SpendModule, MetricsModule],
  controllers: [GatewayController],
  providers: [
    GatewayService,
    GatewayKeys,
    KeyChangeFeed,
    ModelRouter,
    Upstream,
    SpendWriter,
    {
      provide: RateLimits,
      inject: [RedisConnections],
      useFactory: (redis: RedisConnections) =>
        redis.enabled ? new RedisRateLimits(redis) : new LocalRateLimits(),
    },
    {
      provide: Budgets,
      inject: [RedisConnections, getDataSourceToken()],
      useFactory: (redis: RedisConnections, dataSource: DataSource) =>
        redis.enabled ? new RedisBudgets(redis, dataSource) : new LocalBudgets(dataSource),
    },
  ],
  exports: [GatewayKeys],
})
export class GatewayModule {}
