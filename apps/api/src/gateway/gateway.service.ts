import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { finished } from 'node:stream';
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
import { costOf, estimateUsage, Usage, usageFrom } from './usage';
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
  /** The tokens assumed before forwarding, for a stream that ends before its usage. */
  estimate: Usage;
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
    const deployment = this.router.pick(body.model, (name) => mayUse(caller, name));
    checkModelAccess(caller, deployment.modelName);

    // Everything that can refuse the body comes before anything is held for the request.
    const streaming = kind === 'chat' && body.stream === true;
    const { upstreamBody, estimate } = prepare(kind, body, deployment, streaming);

    const slot = await this.limits.acquire(caller);
    let reservation: BudgetReservation;
    try {
      reservation = await this.budgets.reserve(caller, costOf(deployment, estimate));
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
      estimate,
    };

    // A client that goes away stops the upstream call, whether it waits for the first byte
    // or is part way through a stream; what was used is still counted. undici takes an
    // emitter as its abort signal, which costs far less per request than an AbortController.
    const gone = new EventEmitter();
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) {
        gone.emit('abort');
      }
    });

    const sent = performance.now();
    let response;
    try {
      response = await this.upstream.post(deployment, PATHS[kind], upstreamBody, gone);
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

    // However the stream ends (read to the end, broken off by the upstream, or destroyed when
    // the client leaves), the request is finished exactly once. A stream cut short has no
    // usage chunk: it is charged for what it carried, so that leaving early is not free.
    finished(scanner, (error) => {
      const usage = scanner.usage ?? {
        promptTokens: call.estimate.promptTokens,
        completionTokens: scanner.streamedTokens,
      };
      this.finish(call, usage, error && !scanner.usage ? 'failure' : 'success');
    });
    // An upstream that breaks off mid-stream (or is aborted when the client leaves) ends the
    // answer too; left unhandled, its error would end the process.
    upstreamBody.on('error', (error: Error) => scanner.destroy(error));
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
  // A stream asked for in another form would reach the upstream without the usage request.
  if (fields.stream !== undefined && typeof fields.stream !== 'boolean') {
    throw ApiError.badRequest('stream must be true or false', 'stream');
  }
  const options = fields.stream_options;
  if (options !== undefined && (typeof options !== 'object' || Array.isArray(options))) {
    throw ApiError.badRequest('stream_options must be an object', 'stream_options');
  }
  if (kind === 'embeddings' && fields.input === undefined) {
    throw ApiError.badRequest('input is required', 'input');
  }

  return fields;
}

/**
 * The body for the upstream (its own model name; a stream asks for usage in its last
 * chunk) and the tokens the request is assumed to use. A body nested too deeply to write
 * back out is refused here, before anything is held for it.
 */
function prepare(
  kind: CallKind,
  body: Record<string, unknown>,
  deployment: ModelDeployment,
  streaming: boolean,
): { upstreamBody: string; estimate: Usage } {
  const forwarded = streaming
    ? {
        ...body,
        model: deployment.upstreamModel,
        stream_options: { ...(body.stream_options as object), include_usage: true },
      }
    : { ...body, model: deployment.upstreamModel };

  try {
    return { upstreamBody: JSON.stringify(forwarded), estimate: estimateUsage(body, kind) };
  } catch (error) {
    if (error instanceof RangeError) {
      throw ApiError.badRequest('The request body is nested too deeply');
    }
    throw error;
  }
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
