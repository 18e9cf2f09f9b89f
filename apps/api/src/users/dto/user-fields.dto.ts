import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { ROLES, Role } from '@gatehouse/domain';
import { IsDuration, IsOptionalNotNull, IsPlainObject } from '../../common/validators';

/** The fields a user can be given, shared by `/user/new` and `/user/update`. */
export class UserFieldsDto {
  @ApiPropertyOptional({ example: 'ada@example.com' })
  @IsOptional()
  @IsEmail({}, { message: 'user_email must be an email address' })
  @MaxLength(254)
  user_email?: string;

  @ApiPropertyOptional({ example: 'Ada' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  user_alias?: string | null;

  @ApiPropertyOptional({ enum: ROLES, default: 'internal_user_viewer' })
  @IsOptionalNotNull()
  @IsIn(ROLES, { message: `user_role must be one of ${ROLES.join(', ')}` })
  user_role?: Role;

  @ApiPropertyOptional({ description: 'USD', nullable: true })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1e9)
  max_budget?: number | null;

  @ApiPropertyOptional({ example: '30d', nullable: true })
  @IsOptional()
  @IsDuration()
  budget_duration?: string | null;

  @ApiPropertyOptional({ type: [String], description: '[] allows every model' })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @Length(1, 255, { each: true })
  models?: string[];

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1e12)
  tpm_limit?: number | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1e9)
  rpm_limit?: number | null;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptionalNotNull()
  @IsPlainObject()
  metadata?: Record<string, unknown>;
}
