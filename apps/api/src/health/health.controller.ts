import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Public } from '../auth/access.decorators';
import { ApiError } from '../common/api-error';
import { RedisConnections } from '../redis/redis-connections';

/** A probe that hangs is no better than one that fails: orchestrators time out at 1 to 5 s. */
const PROBE_TIMEOUT_MS = 2_000;
/** As the other 503s say: the pool reconnects by itself, so asking again soon is right. */
const RETRY_SOON = { 'retry-after': '1' };

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly redis: RedisConnections,
  ) {}

  @Get(['liveliness', 'liveness'])
  @Public()
  @ApiOperation({ summary: 'The process is up (does not touch the database)' })
  @Header('content-type', 'application/json; charset=utf-8')
  liveliness(): string {
    // A JSON string, as LiteLLM answers, so that clients which parse the body as JSON work.
    return JSON.stringify("I'm alive!");
  }

  @Get('readiness')
  @Public()
  @ApiOperation({ summary: 'The database answers (and Redis, when REDIS_URL is set)' })
  async readiness(): Promise<{ status: string; db: string; redis?: string }> {
    const answered = await withinProbeTime(this.dataSource.query('SELECT 1'));
    if (!answered) {
      throw new ApiError('unavailable', 'Database unreachable', null, RETRY_SOON);
    }
    if (!this.redis.enabled) {
      return { status: 'healthy', db: 'connected' };
    }

    if (!(await withinProbeTime(this.redis.checks.ping()))) {
      throw new ApiError('unavailable', 'Redis unreachable', null, RETRY_SOON);
    }

    return { status: 'healthy', db: 'connected', redis: 'connected' };
  }
}

/** True when the work succeeds in time; never throws. */
async function withinProbeTime(work: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((done) => {
    timer = setTimeout(() => done(false), PROBE_TIMEOUT_MS);
  });

  try {
    return await Promise.race([work.then(() => true), late]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
