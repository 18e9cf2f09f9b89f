import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsDuration, IsOptionalNotNull } from '../../common/validators';
import { UserFieldsDto } from './user-fields.dto';

/** Letters, digits and `._@+-`: ids end up in URLs and logs, so nothing exotic. */
export const USER_ID_PATTERN = /^[A-Za-z0-9._@+-]{1,128}$/;
export const USER_ID_MESSAGE = 'user_id must be 1 to 128 letters, digits or ._@+-';

export class NewUserDto extends UserFieldsDto {
  @ApiPropertyOptional({ description: 'Defaults to a new uuid' })
  @IsOptional()
  @IsString()
  @Matches(USER_ID_PATTERN, { message: USER_ID_MESSAGE })
  user_id?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptionalNotNull()
  @IsBoolean()
  auto_create_key?: boolean;

  @ApiPropertyOptional({ description: 'Alias of the auto-created key' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  key_alias?: string | null;

  @ApiPropertyOptional({ description: 'Lifetime of the auto-created key', example: '30d' })
  @IsOptional()
  @IsDuration()
  duration?: string | null;

  @ApiPropertyOptional({ description: 'Email the invitation link (needs SMTP)' })
  @IsOptionalNotNull()
  @IsBoolean()
  send_invite_email?: boolean;
}
