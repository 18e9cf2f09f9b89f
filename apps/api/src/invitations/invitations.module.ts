import { forwardRef, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '../users/users.module';
import { InvitationEntity } from './invitation.entity';
import { InvitationsController } from './invitations.controller';
import { InvitationsService } from './invitations.service';
import { LinkDelivery } from './link-delivery';
import { OnboardingController } from './onboarding.controller';

/** Invitation links and onboarding. */
@Module({
  imports: [TypeOrmModule.forFeature([InvitationEntity]), forwardRef(() => UsersModule)],
  controllers: [InvitationsController, OnboardingController],
  providers: [InvitationsService, LinkDelivery],
  exports: [InvitationsService],
})
export class InvitationsModule {}
