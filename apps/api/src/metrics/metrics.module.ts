import { Module } from '@nestjs/common';
import { DatabaseMetrics } from './database-metrics';
import { GatewayMetrics } from './gateway-metrics';
import { HttpMetrics } from './http-metrics';
import { MetricsController } from './metrics.controller';
import { MetricsRegistry } from './metrics-registry';

/**
 * `/metrics` in Prometheus's text format, for admin roles and the master key: HTTP
 * requests by route and status, gateway tokens and spend by model, the database pool, and
 * the process. Counting happens off the request's path (after the answer, or at scrape).
 */
@Module({
  controllers: [MetricsController],
  providers: [MetricsRegistry, HttpMetrics, GatewayMetrics, DatabaseMetrics],
  exports: [GatewayMetrics],
})
export class MetricsModule {}
