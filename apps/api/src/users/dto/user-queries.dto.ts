import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { ROLES, Role, USER_SORT_FIELDS, UserSortField } from '@gatehouse/domain';

export class UserInfoQuery {
  @ApiPropertyOptional({ description: 'Defaults to the caller' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  user_id?: string;
}

export class UserListQuery {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role?: Role;

  @ApiPropertyOptional({ description: 'Comma-separated user ids' })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  user_ids?: string;

  @ApiPropertyOptional({ description: 'Case-insensitive part of the email' })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  user_email?: string;

  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'page must be a whole number' })
  @Min(1)
  @Max(1_000_000)
  page?: number;

  @ApiPropertyOptional({ default: 25, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'page_size must be a whole number' })
  @Min(1)
  @Max(100)
  page_size?: number;

  @ApiPropertyOptional({ enum: USER_SORT_FIELDS })
  @IsOptional()
  @IsIn(USER_SORT_FIELDS, { message: `sort_by must be one of ${USER_SORT_FIELDS.join(', ')}` })
  sort_by?: UserSortField;

  @ApiPropertyOptional({ enum: ['asc', 'desc'] })
  @IsOptional()
  @IsIn(['asc', 'desc'], { message: 'sort_order must be asc or desc' })
  sort_order?: 'asc' | 'desc';
}

export class DeleteUsersDto {
  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @MaxLength(128, { each: true })
  user_ids!: string[];
}

export class UserRefDto {
  @ApiProperty()
  @IsString()
  @MaxLength(128)
  user_id!: string;
}
