import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { IsDuration, IsOptionalNotNull, IsPlainObject } from '../../common/validators';

/** The settings of a key, shared by `/key/generate`, `/key/update` and regeneration. */
export class KeyFieldsDto {
  @ApiPropertyOptional({ nullable: true, example: 'ci-pipeline' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  key_alias?: string | null;

  @ApiPropertyOptional({ nullable: true, example: '30d', description: 'null never expires' })
  @IsOptional()
  @IsDuration()
  duration?: string | null;

  @ApiPropertyOptional({ type: [String], description: '[] allows every model' })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @Length(1, 255, { each: true })
  models?: string[];

  @ApiPropertyOptional({ nullable: true, description: 'USD' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1e9)
  max_budget?: number | null;

  @ApiPropertyOptional({ nullable: true, example: '30d' })
  @IsOptional()
  @IsDuration()
  budget_duration?: string | null;

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

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1e6)
  max_parallel_requests?: number | null;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptionalNotNull()
  @IsPlainObject()
  metadata?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Owner; only proxy_admin may name another user' })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 128)
  user_id?: string;

  @ApiPropertyOptional({ description: 'Only proxy_admin may block' })
  @IsOptionalNotNull()
  @IsBoolean()
  blocked?: boolean;
}
