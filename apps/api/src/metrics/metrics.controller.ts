import { Controller, Get, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Allow } from '../auth/access.decorators';
import { MetricsRegistry } from './metrics-registry';

/** Prometheus scrapes here with `Authorization: Bearer <master key>`. */
@ApiTags('metrics')
@ApiBearerAuth()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsRegistry) {}

  @Get()
  @Allow('spend.global')
  @ApiOperation({ summary: 'Prometheus metrics (admin roles; scrape with the master key)' })
  async scrape(@Res() reply: FastifyReply): Promise<void> {
    const text = await this.metrics.text();

    void reply
      .header('content-type', this.metrics.contentType)
      .header('cache-control', 'no-store')
      .send(text);
  }
}
