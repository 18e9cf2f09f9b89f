import { DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { GatewayModule } from './gateway/gateway.module';
import { HealthModule } from './health/health.module';
import { InvitationsModule } from './invitations/invitations.module';
import { KeysModule } from './keys/keys.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { RedisModule } from './redis/redis.module';
import { MailModule } from './mail/mail.module';
import { SpendModule } from './spend/spend.module';
import { UsersModule } from './users/users.module';

/** Wires the feature modules; each owns its controller, service, entities and DTOs. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule,
        DatabaseModule,
        RedisModule,
        AuditModule,
        MailModule,
        AuthModule,
        UsersModule,
        InvitationsModule,
        KeysModule,
        SpendModule,
        GatewayModule,
        HealthModule,
        MetricsModule,
      ],
    };
  }
}
