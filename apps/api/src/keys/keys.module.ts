import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { KeyEntity } from './key.entity';
import { KeysService } from './keys.service';

/** Virtual keys: the table, their creation and their use as credentials. */
@Module({
  imports: [TypeOrmModule.forFeature([KeyEntity])],
  providers: [KeysService],
  exports: [KeysService],
})
export class KeysModule {}
