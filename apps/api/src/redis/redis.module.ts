import { Global, Module } from '@nestjs/common';
import { RedisConnections } from './redis-connections';

/** The Redis that several instances share when REDIS_URL is set (see `RedisConnections`). */
@Global()
@Module({ providers: [RedisConnections], exports: [RedisConnections] })
export class RedisModule {}
