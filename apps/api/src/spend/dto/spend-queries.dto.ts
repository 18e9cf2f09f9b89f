import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_OR_INSTANT =
  /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export class SpendLogsQuery {
  @ApiPropertyOptional({ description: 'A key or its token' })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  api_key?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 128)
  user_id?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 256)
  request_id?: string;

  @ApiPropertyOptional({ example: '2026-12-01' })
  @IsOptional()
  @Matches(DATE_OR_INSTANT, { message: 'start_date must be a date (YYYY-MM-DD) or an instant' })
  start_date?: string;

  @ApiPropertyOptional({ example: '2026-12-31' })
  @IsOptional()
  @Matches(DATE_OR_INSTANT, { message: 'end_date must be a date (YYYY-MM-DD) or an instant' })
  end_date?: string;

  @ApiPropertyOptional({ description: 'Totals per day instead of rows' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'summarize must be true or false' })
  summarize?: boolean;
}

export class DailyActivityQuery {
  @ApiProperty({ example: '2026-12-01' })
  @Matches(DATE, { message: 'start_date must be a date (YYYY-MM-DD)' })
  start_date!: string;

  @ApiProperty({ example: '2026-12-31' })
  @Matches(DATE, { message: 'end_date must be a date (YYYY-MM-DD)' })
  end_date!: string;

  @ApiPropertyOptional({ description: 'Admins only: one user' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  user_id?: string;

  @ApiPropertyOptional({ default: 1, description: 'Pages of days, as LiteLLM clients send' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'page must be a whole number' })
  @Min(1)
  @Max(100_000)
  page?: number;

  @ApiPropertyOptional({ default: 366, maximum: 1000, description: 'Days per page' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'page_size must be a whole number' })
  @Min(1)
  @Max(1000)
  page_size?: number;
}

export class GlobalSpendKeysQuery {
  @ApiPropertyOptional({ default: 10, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(100)
  limit?: number;
}
