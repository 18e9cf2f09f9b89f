import { forwardRef, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PasswordHasher } from '../auth/password-hasher';
import { SessionsModule } from '../auth/sessions.module';
import { InvitationsModule } from '../invitations/invitations.module';
import { KeysModule } from '../keys/keys.module';
import { FirstAdmin } from './first-admin';
import { UserEntity } from './user.entity';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

/** Internal users: the `/user/*` endpoints and the first admin account. */
@Module({
  imports: [
    TypeOrmModule.forFeature([UserEntity]),
    KeysModule,
    SessionsModule,
    // /user/new can send an invitation, and invitations belong to users.
    forwardRef(() => InvitationsModule),
  ],
  controllers: [UsersController],
  providers: [UsersService, PasswordHasher, FirstAdmin],
  exports: [UsersService, PasswordHasher, FirstAdmin],
})
export class UsersModule {}
