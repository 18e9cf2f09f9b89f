import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Injectable } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../common/api-error';
import { ModelDeployment } from '../config/model-list';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { Budgets, BudgetReservation } from './budgets';
import { GatewayCaller, GatewayKeys } from './gateway-keys';
import { checkModelAccess, mayUse } from './model-access';
import { ModelRouter } from './model-router';
import { RateLimits, RateSlot } from './rate-limits';
import { SpendWriter } from './spend-writer';
import { Upstream } from './upstream';
import { fromUpstreamAnswer, fromUpstreamFailure } from './upstream-errors';
import { costOf, estimateCost, Usage, usageFrom } from './usage';
import { UsageScanner } from './usage-scanner';

export type CallKind = 'chat' | 'embeddings';

const PATHS: Record<CallKind, string> = { chat: '/chat/completions', embeddings: '/embeddings' };
const CALL_TYPES: Record<CallKind, string> = { chat: 'chat_completion', embeddings: 'embedding' };
export const OVERHEAD_HEADER = 'x-litellm-overhead-duration-ms';

/** One request on its way through the gateway. */
interface Call {
  kind: CallKind;
  requestId: string;
  caller: GatewayCaller;
  deployment: ModelDeployment;
  startedAt: Date;
  /** `performance.now()` when the request arrived. */
  arrived: number;
  slot: RateSlot;
  reservation: BudgetReservation;
}

/**
 * The OpenAI-compatible gateway: checks the key, its models, rate limits and budget,
 * forwards to the model's upstream, passes the answer back as it comes (streams chunk by
 * chunk) and records what the request cost.
 */
@Injectable()
export class GatewayService {
  constructor(
    private readonly keys: GatewayKeys,
    private readonly router: ModelRouter,
    private readonly limits: RateLimits,
    private readonly budgets: Budgets,
    private readonly upstream: Upstream,
    private readonly spend: SpendWriter,
    private readonly metrics: GatewayMetrics,
  ) {}

  async models(request: FastifyRequest): Promise<object> {
    const caller = await this.keys.authenticate(request);
    const data = this.router.modelNames
      .filter((name) => mayUse(caller, name))
      .map((id) => ({ id, object: 'model', created: 0, owned_by: 'gatehouse' }));

    return { object: 'list', data };
  }

  async forward(kind: CallKind, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const arrived = performance.now();
    const startedAt = new Date();
    const caller = await this.keys.authenticate(request);
    const body = bodyOf(request, kind);
    const deployment = this.router.pick(body.model);
    checkModelAccess(caller, deployment.modelName);

    const slot = await this.limits.acquire(caller);
    let reservation: BudgetReservation;
    try {
      reservation = await this.budgets.reserve(caller, estimateCost(deployment, body, kind));
    } catch (error) {
      slot.release(0);
      throw error;
    }

    this.spend.expect();
    const call: Call = {
      kind,
      requestId: randomUUID(),
      caller,
      deployment,
      startedAt,
      arrived,
      slot,
      reservation,
    };
    const streaming = kind === 'chat' && body.stream === true;
    const upstreamBody = JSON.stringify(
      streaming
        ? {
            ...body,
            model: deployment.upstreamModel,
            stream_options: { ...(body.stream_options as object), include_usage: true },
          }
        : { ...body, model: deployment.upstreamModel },
    );

    const sent = performance.now();
    let response;
    try {
      response = await this.upstream.post(deployment, PATHS[kind], upstreamBody);
    } catch (error) {
      this.finish(call, null, 'failure');
      throw fromUpstreamFailure(error, deployment);
    }

    if (response.status >= 400) {
      const text = await response.body.text().catch(() => '');
      this.finish(call, null, 'failure');
      throw fromUpstreamAnswer(deployment, response.status, text);
    }

    if (streaming) {
      this.stream(call, response.body, reply, performance.now() - sent);

      return;
    }

    let answer: Buffer;
    try {
      answer = Buffer.from(await response.body.arrayBuffer());
    } catch (error) {
      this.finish(call, null, 'failure');
      throw fromUpstreamFailure(error, deployment);
    }
    const waited = performance.now() - sent;

    this.finish(call, usageFrom(parseJson(answer)), 'success');
    void reply
      .status(response.status)
      .header('content-type', 'application/json')
      .header('x-litellm-call-id', call.requestId)
      .header(OVERHEAD_HEADER, overhead(arrived, waited))
      .send(answer);
  }

  private stream(
    call: Call,
    upstreamBody: NodeJS.ReadableStream,
    reply: FastifyReply,
    waited: number,
  ): void {
    const scanner = new UsageScanner();
    let finished = false;
    const end = (status: 'success' | 'failure') => {
      if (!finished) {
        finished = true;
        this.finish(call, scanner.usage, status);
      }
    };

    scanner.on('end', () => end('success'));
    scanner.on('error', () => end('failure'));
    // An upstream that breaks off mid-stream (or is stopped below) ends the answer too; left
    // unhandled, its error would end the process.
    upstreamBody.on('error', (error: Error) => scanner.destroy(error));
    // A client that goes away stops the upstream too, and what was used is still counted.
    reply.raw.on('close', () => {
      if (!scanner.writableFinished) {
        (upstreamBody as NodeJS.ReadableStream & { destroy(): void }).destroy();
        end('failure');
      }
    });
    upstreamBody.pipe(scanner);

    void reply
      .status(200)
      .header('content-type', 'text/event-stream; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('x-litellm-call-id', call.requestId)
      .header(OVERHEAD_HEADER, overhead(call.arrived, waited))
      .send(scanner);
  }

  /** Counts the tokens, records the spend and gives back the reservation once recorded. */
  private finish(call: Call, usage: Usage | null, status: 'success' | 'failure'): void {
    const used = usage ?? { promptTokens: 0, completionTokens: 0 };
    call.slot.release(used.promptTokens + used.completionTokens);

    const key = call.caller.credential?.key;
    const cost = costOf(call.deployment, used);
    this.metrics.finished({ model: call.deployment.modelName, status, spend: cost, ...used });
    this.spend.write(
      {
        requestId: call.requestId,
        keyId: key?.id ?? null,
        keyToken: call.caller.token,
        userId: key?.userId ?? null,
        model: call.deployment.modelName,
        callType: CALL_TYPES[call.kind],
        promptTokens: used.promptTokens,
        completionTokens: used.completionTokens,
        spend: cost,
        startTime: call.startedAt,
        endTime: new Date(),
        status,
      },
      () => call.reservation.settle(cost),
    );
  }
}

function bodyOf(request: FastifyRequest, kind: CallKind): Record<string, unknown> {
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw ApiError.badRequest('Send a JSON object as the request body');
  }

  const fields = body as Record<string, unknown>;
  if (kind === 'chat' && !Array.isArray(fields.messages)) {
    throw ApiError.badRequest('messages must be a list of chat messages', 'messages');
  }
  if (kind === 'embeddings' && fields.input === undefined) {
    throw ApiError.badRequest('input is required', 'input');
  }

  return fields;
}

function parseJson(buffer: Buffer): unknown {
  try {
    return JSON.parse(buffer.toString('utf8'));
  } catch {
    return null;
  }
}

/** The gateway's own time: everything since arrival but the wait for the upstream. */
function overhead(arrived: number, waited: number): string {
  return Math.max(0, performance.now() - arrived - waited).toFixed(3);
}
