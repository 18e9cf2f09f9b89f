import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { KeysModule } from '../keys/keys.module';
import { UsersModule } from '../users/users.module';
import { AccessGuard } from './access.guard';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { LocalStrategy } from './local.strategy';
import { LoginThrottle } from './login-throttle';
import { PrincipalResolver } from './principal.resolver';
import { SessionCookies } from './session-cookies';
import { SessionsModule } from './sessions.module';

/**
 * Who is calling and what they may do: sign-in, sessions, the master key and virtual keys
 * as credentials, and the global access guard.
 */
@Global()
@Module({
  imports: [PassportModule, SessionsModule, KeysModule, UsersModule],
  controllers: [AuthController],
  providers: [
    AuthService,
    LocalStrategy,
    LoginThrottle,
    PrincipalResolver,
    SessionCookies,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [SessionsModule, SessionCookies, AuthService],
})
export class AuthModule {}
