import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { KeyEvents } from './key-events';
import { KeyListService } from './key-list.service';
import { KeyEntity } from './key.entity';
import { KeysController } from './keys.controller';
import { KeysService } from './keys.service';

/** Virtual keys: the `/key/*` endpoints, their creation and their use as credentials. */
@Module({
  imports: [TypeOrmModule.forFeature([KeyEntity])],
  controllers: [KeysController],
  providers: [KeysService, KeyListService, KeyEvents],
  exports: [KeysService, KeyEvents],
})
export class KeysModule {}
