import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { KEY_SORT_FIELDS, KeySortField } from '@gatehouse/domain';
import { IsDuration, IsOptionalNotNull } from '../../common/validators';
import { KeyFieldsDto } from './key-fields.dto';

export class GenerateKeyDto extends KeyFieldsDto {
  @ApiPropertyOptional({ description: 'A custom secret: starts with sk-, 16+ characters' })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(256)
  key?: string;

  @ApiPropertyOptional({ description: 'Email the owner (needs SMTP)' })
  @IsOptionalNotNull()
  @IsBoolean()
  send_invite_email?: boolean;
}

/** A key is named by its secret or by its token (SHA-256 hex). */
export class KeyRefDto {
  @ApiProperty({ description: 'The key (sk-...) or its token' })
  @IsString()
  @Length(1, 256)
  key!: string;
}

export class UpdateKeyDto extends KeyFieldsDto {
  @ApiProperty({ description: 'The key (sk-...) or its token' })
  @IsString()
  @Length(1, 256)
  key!: string;
}

export class RegenerateKeyDto extends KeyFieldsDto {
  @ApiPropertyOptional({ description: 'The key (sk-...) or its token; or in the path' })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  key?: string;

  @ApiPropertyOptional({ example: '1h', description: 'How long the old secret keeps working' })
  @IsOptional()
  @IsDuration()
  grace_period?: string | null;
}

export class DeleteKeysDto {
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @Length(1, 256, { each: true })
  keys?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @Length(1, 255, { each: true })
  key_aliases?: string[];
}

export class KeyInfoQuery {
  @ApiPropertyOptional({ description: 'The key or its token; default: the calling key' })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  key?: string;
}

export class KeyListQuery {
  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'page must be a whole number' })
  @Min(1)
  @Max(1_000_000)
  page?: number;

  @ApiPropertyOptional({ default: 10, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'size must be a whole number' })
  @Min(1)
  @Max(100)
  size?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 128)
  user_id?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 255)
  key_alias?: string;

  @ApiPropertyOptional({ description: 'A token (SHA-256 hex) or a key' })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  key_hash?: string;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'return_full_object must be true or false' })
  return_full_object?: boolean;

  @ApiPropertyOptional({
    description:
      'next_cursor of the previous page: continues right after it, at the cost of a first ' +
      'page however deep (keyset pagination). Then `page` is only echoed back.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 1024)
  after?: string;

  @ApiPropertyOptional({ enum: KEY_SORT_FIELDS, default: 'created_at' })
  @IsOptional()
  @IsIn(KEY_SORT_FIELDS, { message: `sort_by must be one of ${KEY_SORT_FIELDS.join(', ')}` })
  sort_by?: KeySortField;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc' })
  @IsOptional()
  @IsIn(['asc', 'desc'], { message: 'sort_order must be asc or desc' })
  sort_order?: 'asc' | 'desc';
}
