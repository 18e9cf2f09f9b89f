import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { MetricsRegistry } from './metrics-registry';

/** What the gateway reports of each finished request. */
export interface GatewayOutcome {
  model: string;
  status: 'success' | 'failure';
  promptTokens: number;
  completionTokens: number;
  spend: number;
}

/** Gateway requests, tokens and spend by model (the name clients ask for). */
@Injectable()
export class GatewayMetrics {
  private readonly requests: Counter<'model' | 'status'>;
  private readonly tokens: Counter<'model' | 'type'>;
  private readonly spend: Counter<'model'>;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.requests = new Counter({
      name: 'gatehouse_gateway_requests_total',
      help: 'Gateway requests forwarded upstream, by model and outcome',
      labelNames: ['model', 'status'],
      registers,
    });
    this.tokens = new Counter({
      name: 'gatehouse_gateway_tokens_total',
      help: 'Tokens used through the gateway, by model and type (prompt or completion)',
      labelNames: ['model', 'type'],
      registers,
    });
    this.spend = new Counter({
      name: 'gatehouse_gateway_spend_usd_total',
      help: 'Spend recorded by the gateway in USD, by model',
      labelNames: ['model'],
      registers,
    });
  }

  finished(outcome: GatewayOutcome): void {
    const { model } = outcome;
    this.requests.inc({ model, status: outcome.status });
    if (outcome.promptTokens > 0) {
      this.tokens.inc({ model, type: 'prompt' }, outcome.promptTokens);
    }
    if (outcome.completionTokens > 0) {
      this.tokens.inc({ model, type: 'completion' }, outcome.completionTokens);
    }
    if (outcome.spend > 0) {
      this.spend.inc({ model }, outcome.spend);
    }
  }
}
