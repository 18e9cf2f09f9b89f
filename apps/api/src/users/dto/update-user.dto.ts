import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptionalNotNull } from '../../common/validators';
import { IsString, MaxLength } from 'class-validator';
import { NewUserDto } from './new-user.dto';

/**
 * Finds the user by `user_id` (or else `user_email`) and writes only the fields given.
 * It takes every field of `/user/new`, as the contract says, so that one script can send
 * the same body to both; the ones about a new user's first key and invitation
 * (`auto_create_key`, `key_alias`, `duration`, `send_invite_email`) change nothing here.
 */
export class UpdateUserDto extends NewUserDto {
  @ApiPropertyOptional({ description: 'A new password; the policy applies' })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(1024)
  password?: string;
}
