import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Public } from '../auth/access.decorators';
import { ApiError } from '../common/api-error';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get(['liveliness', 'liveness'])
  @Public()
  @ApiOperation({ summary: 'The process is up (does not touch the database)' })
  liveliness(): string {
    return "I'm alive!";
  }

  @Get('readiness')
  @Public()
  @ApiOperation({ summary: 'The database answers' })
  async readiness(): Promise<{ status: string; db: string }> {
    try {
      await this.dataSource.query('SELECT 1');
    } catch {
      throw new ApiError('unavailable', 'Database unreachable');
    }

    return { status: 'healthy', db: 'connected' };
  }
}
