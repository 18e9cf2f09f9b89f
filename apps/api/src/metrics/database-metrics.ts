import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { MetricsRegistry } from './metrics-registry';

/** The counters of a `pg` pool, which TypeORM keeps as its driver's `master`. */
interface PoolCounts {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/**
 * The database pool, read when Prometheus scrapes: connections open, idle, and requests
 * waiting for one (a pool too small, or a database too slow, shows there first).
 */
@Injectable()
export class DatabaseMetrics {
  constructor(metrics: MetricsRegistry, @InjectDataSource() dataSource: DataSource) {
    const pool = () => (dataSource.driver as unknown as { master?: PoolCounts }).master;
    const gauge = (name: string, help: string, read: (counts: PoolCounts) => number) =>
      new Gauge({
        name,
        help,
        registers: [metrics.registry],
        collect() {
          const counts = pool();
          this.set(counts ? read(counts) : 0);
        },
      });

    gauge('gatehouse_db_pool_total', 'Connections open in the pool', (c) => c.totalCount);
    gauge('gatehouse_db_pool_idle', 'Open connections not in use', (c) => c.idleCount);
    gauge('gatehouse_db_pool_waiting', 'Queries waiting for a connection', (c) => c.waitingCount);
  }
}
