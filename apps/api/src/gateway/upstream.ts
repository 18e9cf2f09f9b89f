import { EventEmitter } from 'node:events';
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Dispatcher, Pool } from 'undici';
import { ModelDeployment } from '../config/model-list';

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
}

/**
 * Talks to OpenAI-compatible upstreams over pooled keep-alive connections, one pool per
 * origin. The upstream's API key is added here and goes nowhere else.
 */
@Injectable()
export class Upstream implements OnApplicationShutdown {
  private readonly pools = new Map<string, Pool>();

  async post(
    deployment: ModelDeployment,
    path: string,
    body: string,
    /** Emits `abort` to give up the call (undici's EventEmitter form of a signal). */
    signal?: EventEmitter,
  ): Promise<UpstreamResponse> {
    const url = new URL(`${deployment.apiBase}${path}`);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (deployment.apiKey) {
      headers.authorization = `Bearer ${deployment.apiKey}`;
    }

    const response = await this.pool(url.origin).request({
      method: 'POST',
      path: `${url.pathname}${url.search}`,
      headers,
      body,
      signal,
      headersTimeout: deployment.timeoutMs,
      bodyTimeout: deployment.timeoutMs,
    });

    return { status: response.statusCode, headers: response.headers, body: response.body };
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.close()));
  }

  private pool(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, { connections: 256, pipelining: 1, keepAliveTimeout: 30_000 });
      this.pools.set(origin, pool);
    }

    return pool;
  }
}
