import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, MASTER } from './support/http';
import {
  FakeUpstream,
  gatewayConfig,
  SLOW_STREAM_WORDS,
  UPSTREAM_KEY,
} from './support/fake-upstream';
import { StartedApp } from './support/started-app';

const HELLO = [{ role: 'user' as const, content: 'Say hello' }];

/**
 * SIGTERM, as an orchestrator sends it before replacing an instance: connections already
 * open run to their end (streams included) within SHUTDOWN_TIMEOUT, new ones are refused,
 * what the requests cost is recorded, and the process exits 0.
 */
describe('stopping Gatehouse with SIGTERM', () => {
  let upstream: FakeUpstream;
  let configFile: string;

  beforeAll(async () => {
    upstream = await FakeUpstream.start();
    configFile = join(mkdtempSync(join(tmpdir(), 'gatehouse-config-')), 'config.yaml');
    writeFileSync(configFile, gatewayConfig(upstream));
  });

  afterAll(async () => {
    await upstream.close();
  });

  async function startApp(env: Record<string, string> = {}): Promise<StartedApp> {
    return StartedApp.start({
      env: { CONFIG_FILE_PATH: configFile, FAKE_UPSTREAM_KEY: UPSTREAM_KEY, ...env },
    });
  }

  async function newKey(app: StartedApp): Promise<{ key: string; token: string }> {
    const reply = await call(app, 'POST', '/key/generate', { auth: MASTER, body: {} });
    expect(reply.status).toBe(200);

    return { key: reply.body.key, token: reply.body.token };
  }

  /** Starts a slow streaming chat and waits for its first chunk. */
  async function startStream(app: StartedApp, key: string): Promise<StreamReader> {
    const response = await fetch(`${app.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'slow-stream', messages: HELLO, stream: true }),
    });
    expect(response.status).toBe(200);

    const stream = new StreamReader(response.body!.getReader());
    await stream.next();

    return stream;
  }

  it('lets a stream finish, refuses new connections, records its spend, exits 0', async () => {
    const app = await startApp();
    try {
      const { key, token } = await newKey(app);
      const stream = await startStream(app, key);
      const port = Number(new URL(app.baseUrl).port);

      const exited = app.terminate();
      const refusedAt = await refusedWithin(port, 2_000);
      await stream.readToEnd();

      expect(stream.ended).toBe(true);
      // Refused while the stream still had most of its 3 s to run.
      expect(refusedAt).toBeLessThan(stream.endedAt - 1_000);
      expect(stream.content()).toBe(SLOW_STREAM_WORDS.join(''));
      expect(stream.text).toContain('data: [DONE]');
      expect(await exited).toBe(0);

      const rows = await app.sql(
        'SELECT status, prompt_tokens, completion_tokens FROM spend_logs WHERE api_key = $1',
        [token],
      );
      expect(rows).toEqual([{ status: 'success', prompt_tokens: 10, completion_tokens: 20 }]);
      expect(app.logs.join('')).toMatch(/"msg":"requests drained"/);
    } finally {
      await app.close();
    }
  });

  it('cuts what still runs at SHUTDOWN_TIMEOUT, records it as a failure, and exits 0', async () => {
    const app = await startApp({ SHUTDOWN_TIMEOUT: '1s' });
    try {
      const { key, token } = await newKey(app);
      const stream = await startStream(app, key);

      const signalled = Date.now();
      const code = await app.terminate();
      const took = Date.now() - signalled;
      await stream.readToEnd();

      expect(code).toBe(0);
      expect(took).toBeGreaterThanOrEqual(900);
      expect(took).toBeLessThan(5_000);
      expect(stream.text).not.toContain('data: [DONE]');

      const rows = await app.sql('SELECT status FROM spend_logs WHERE api_key = $1', [token]);
      expect(rows).toEqual([{ status: 'failure' }]);
      expect(app.logs.join('')).toMatch(/cut/);
    } finally {
      await app.close();
    }
  });
});

/** Reads a server-sent event stream as it arrives. */
class StreamReader {
  text = '';
  ended = false;
  endedAt = 0;
  private readonly decoder = new TextDecoder();

  constructor(private readonly reader: ReadableStreamDefaultReader<Uint8Array>) {}

  /** Reads the next chunk; false once the stream has ended (or was cut). */
  async next(): Promise<boolean> {
    try {
      const { done, value } = await this.reader.read();
      if (done) {
        this.finish(true);

        return false;
      }
      this.text += this.decoder.decode(value, { stream: true });

      return true;
    } catch {
      this.finish(false);

      return false;
    }
  }

  async readToEnd(): Promise<void> {
    while (await this.next()) {
      // Keep reading.
    }
  }

  /** The streamed content, put together from the chunks' deltas. */
  content(): string {
    return this.text
      .split('\n')
      .filter((line) => line.startsWith('data: {'))
      .map((line) => JSON.parse(line.slice(6)).choices?.[0]?.delta?.content ?? '')
      .join('');
  }

  private finish(ended: boolean): void {
    this.ended = ended;
    this.endedAt = Date.now();
  }
}

/** Waits until a new TCP connection to the port is refused; returns when that happened. */
async function refusedWithin(port: number, ms: number): Promise<number> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const refused = await new Promise<boolean>((done) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        done(false);
      });
      socket.once('error', (error: NodeJS.ErrnoException) => done(error.code === 'ECONNREFUSED'));
    });
    if (refused) {
      return Date.now();
    }
    await new Promise((done) => setTimeout(done, 20));
  }

  throw new Error(`new connections to port ${port} were still accepted after ${ms} ms`);
}
