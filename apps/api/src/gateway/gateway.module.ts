import { Module } from '@nestjs/common';
import { KeysModule } from '../keys/keys.module';
import { SpendModule } from '../spend/spend.module';
import { Budgets } from './budgets';
import { GatewayController } from './gateway.controller';
import { GatewayKeys } from './gateway-keys';
import { GatewayService } from './gateway.service';
import { ModelRouter } from './model-router';
import { RateLimits } from './rate-limits';
import { SpendWriter } from './spend-writer';
import { Upstream } from './upstream';

/** The OpenAI-compatible gateway that the virtual keys unlock. */
@Module({
  imports: [KeysModule, SpendModule],
  controllers: [GatewayController],
  providers: [GatewayService, GatewayKeys, ModelRouter, RateLimits, Budgets, Upstream, SpendWriter],
  exports: [GatewayKeys],
})
export class GatewayModule {}
