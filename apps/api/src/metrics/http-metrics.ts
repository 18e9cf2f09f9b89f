import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Counter, Histogram } from 'prom-client';
import { MetricsRegistry } from './metrics-registry';

/** Requests that matched no route share one label, so a scan cannot flood the metrics. */
const UNMATCHED = '(unmatched)';

interface Series {
  requests: Counter.Internal;
  duration: Histogram.Internal<Labels>;
}

type Labels = 'method' | 'route' | 'status_code';

/**
 * Requests and their latency by method, route pattern (`/key/info`, never the URL with its
 * query) and status, counted in a Fastify `onResponse` hook: after the answer has gone
 * out, so the caller never waits for it. A stream counts when it ends.
 */
@Injectable()
export class HttpMetrics implements OnModuleInit {
  private readonly requests: Counter<Labels>;
  private readonly duration: Histogram<Labels>;
  /** The labelled children, looked up once per method, route and status. */
  private readonly series = new Map<string, Series>();

  constructor(
    metrics: MetricsRegistry,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    const labelNames: Labels[] = ['method', 'route', 'status_code'];
    this.requests = new Counter({
      name: 'gatehouse_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status',
      labelNames,
      registers: [metrics.registry],
    });
    this.duration = new Histogram({
      name: 'gatehouse_http_request_duration_seconds',
      help: 'Time from request to the end of the answer, by method, route pattern and status',
      labelNames,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [metrics.registry],
    });
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onResponse', (request, reply, done) => {
      this.observe(request, reply);
      done();
    });
  }

  private observe(request: FastifyRequest, reply: FastifyReply): void {
    const route = request.routeOptions.url ?? UNMATCHED;
    const id = `${request.method} ${route} ${reply.statusCode}`;
    let series = this.series.get(id);
    if (!series) {
      const labels = { method: request.method, route, status_code: String(reply.statusCode) };
      series = { requests: this.requests.labels(labels), duration: this.duration.labels(labels) };
      this.series.set(id, series);
    }

    series.requests.inc();
    series.duration.observe(reply.elapsedTime / 1000);
  }
}
