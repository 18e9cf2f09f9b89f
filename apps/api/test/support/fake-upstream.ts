import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** The usage every canned chat answer reports. */
export const CHAT_USAGE = { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 };
export const EMBEDDING_USAGE = { prompt_tokens: 5, total_tokens: 5 };
export const UPSTREAM_KEY = 'sk-upstream-provider-secret-0123456789';

export interface ReceivedRequest {
  path: string;
  authorization: string | undefined;
  body: Record<string, any>;
}

/** What `slow-stream` streams: ten words, 300 ms apart (about 3 s in all). */
export const SLOW_STREAM_WORDS = Array.from({ length: 10 }, (_, index) => ` word${index + 1}`);
const SLOW_STREAM_GAP_MS = 300;

/**
 * A small OpenAI-compatible server standing in for an LLM provider. The model name picks
 * the behaviour: `fail-model` answers 500, `auth-fail` 401 quoting the key it was sent,
 * `slow-model` waits 3 s, `slow-stream` streams for about 3 s (`SLOW_STREAM_WORDS`),
 * anything else answers with canned content and usage.
 */
export class FakeUpstream {
  readonly received: ReceivedRequest[] = [];
  private server!: Server;

  static async start(): Promise<FakeUpstream> {
    const upstream = new FakeUpstream();
    upstream.server = createServer((request, response) => void upstream.handle(request, response));
    upstream.server.keepAliveTimeout = 60_000;
    await new Promise<void>((done) => upstream.server.listen(0, '127.0.0.1', done));

    return upstream;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();

    return new Promise((done) => this.server.close(() => done()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) {
      chunks.push(chunk as Buffer);
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    this.received.push({
      path: request.url ?? '',
      authorization: request.headers.authorization,
      body,
    });

    if (body.model === 'fail-model') {
      return json(response, 500, {
        error: { message: 'the model fell over', type: 'server_error' },
      });
    }
    if (body.model === 'auth-fail') {
      const message = `Incorrect API key provided: ${request.headers.authorization?.slice(7)}`;

      return json(response, 401, { error: { message, type: 'invalid_request_error' } });
    }
    if (body.model === 'slow-model') {
      await new Promise((done) => setTimeout(done, 3_000));
    }

    if (request.url === '/v1/embeddings') {
      return json(response, 200, {
        object: 'list',
        data: [{ object: 'embedding', index: 0, embedding: encode([0.1, 0.2, 0.3], body) }],
        model: body.model,
        usage: EMBEDDING_USAGE,
      });
    }
    if (body.stream && body.model === 'slow-stream') {
      return this.stream(response, body, SLOW_STREAM_WORDS, SLOW_STREAM_GAP_MS);
    }
    if (body.stream) {
      return this.stream(response, body);
    }

    return json(response, 200, {
      id: 'chatcmpl-fake',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: body.model,
      choices: [
        { index: 0, message: { role: 'assistant', content: 'Hello world' }, finish_reason: 'stop' },
      ],
      usage: CHAT_USAGE,
    });
  }

  /** Content chunks (by default three, 50 ms apart), the usage chunk when asked, [DONE]. */
  private async stream(
    response: ServerResponse,
    body: Record<string, any>,
    words = ['Hello', ' streaming', ' world'],
    gapMs = 50,
  ): Promise<void> {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const word of words) {
      if (response.destroyed) {
        return;
      }
      const chunk = {
        id: 'chatcmpl-fake',
        object: 'chat.completion.chunk',
        model: body.model,
        choices: [{ index: 0, delta: { content: word }, finish_reason: null }],
      };
      response.write(`data: ${JSON.stringify(chunk)}\n\n`);
      await new Promise((done) => setTimeout(done, gapMs));
    }
    if (body.stream_options?.include_usage) {
      const last = {
        id: 'chatcmpl-fake',
        object: 'chat.completion.chunk',
        choices: [],
        usage: CHAT_USAGE,
      };
      response.write(`data: ${JSON.stringify(last)}\n\n`);
    }
    response.end('data: [DONE]\n\n');
  }
}

/** Like OpenAI: floats, or little-endian float32 in base64 when the client asks for it. */
function encode(vector: number[], body: Record<string, any>): number[] | string {
  if (body.encoding_format !== 'base64') {
    return vector;
  }

  return Buffer.from(new Float32Array(vector).buffer).toString('base64');
}

function json(response: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

/** A LiteLLM-style config file for the fake upstream; prices make a chat cost 0.05. */
export function gatewayConfig(upstream: FakeUpstream): string {
  const base = upstream.baseUrl;

  return `model_list:
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o-upstream
      api_base: ${base}
      api_key: os.environ/FAKE_UPSTREAM_KEY
    model_info:
      input_cost_per_token: 0.001
      output_cost_per_token: 0.002
  - model_name: gpt-4o-mini
    litellm_params:
      model: openai/gpt-4o-mini
      api_base: ${base}
      api_key: os.environ/FAKE_UPSTREAM_KEY
    model_info:
      input_cost_per_token: 0.0001
      output_cost_per_token: 0.0002
  - model_name: text-embedding-3-small
    litellm_params:
      model: openai/text-embedding-3-small
      api_base: ${base}
      api_key: os.environ/FAKE_UPSTREAM_KEY
    model_info:
      input_cost_per_token: 0.0001
  - model_name: broken
    litellm_params:
      model: openai/fail-model
      api_base: ${base}
      api_key: os.environ/FAKE_UPSTREAM_KEY
  - model_name: misconfigured
    litellm_params:
      model: openai/auth-fail
      api_base: ${base}
      api_key: os.environ/FAKE_UPSTREAM_KEY
  - model_name: slow
    litellm_params:
      model: openai/slow-model
      api_base: ${base}
      api_key: os.environ/FAKE_UPSTREAM_KEY
      timeout: 1
  - model_name: slow-stream
    litellm_params:
      model: openai/slow-stream
      api_base: ${base}
      api_key: os.environ/FAKE_UPSTREAM_KEY
    model_info:
      input_cost_per_token: 0.001
      output_cost_per_token: 0.002
`;
}
