import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptionalNotNull } from '../../common/validators';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { UserFieldsDto } from './user-fields.dto';
import { USER_ID_MESSAGE, USER_ID_PATTERN } from './new-user.dto';

/** Finds the user by `user_id` (or else `user_email`) and writes only the fields given. */
export class UpdateUserDto extends UserFieldsDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(USER_ID_PATTERN, { message: USER_ID_MESSAGE })
  user_id?: string;

  @ApiPropertyOptional({ description: 'A new password; the policy applies' })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(1024)
  password?: string;
}
