import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MailModule } from '../mail/mail.module';
import { KeyEvents } from './key-events';
import { KeyNotices } from './key-notices';
import { KeyListService } from './key-list.service';
import { KeyEntity } from './key.entity';
import { KeysController } from './keys.controller';
import { KeysService } from './keys.service';

/** Virtual keys: the `/key/*` endpoints, their creation and their use as credentials. */
@Module({
  imports: [TypeOrmModule.forFeature([KeyEntity]), MailModule],
  controllers: [KeysController],
  providers: [KeysService, KeyListService, KeyEvents, KeyNotices],
  exports: [KeysService, KeyEvents],
})
export class KeysModule {}
