import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { call, expectError, MASTER, Member, onboard } from './support/http';
import { CHAT_USAGE, FakeUpstream, gatewayConfig, UPSTREAM_KEY } from './support/fake-upstream';
import { StartedApp } from './support/started-app';

/** A chat through the fake upstream costs 10 x 0.001 + 20 x 0.002. */
const CHAT_COST = 0.05;
const HELLO = [{ role: 'user' as const, content: 'Say hello' }];

describe('the OpenAI-compatible gateway', () => {
  let upstream: FakeUpstream;
  let app: StartedApp;
  let alice: Member;

  beforeAll(async () => {
    upstream = await FakeUpstream.start();
    const folder = mkdtempSync(join(tmpdir(), 'gatehouse-config-'));
    const configFile = join(folder, 'config.yaml');
    writeFileSync(configFile, gatewayConfig(upstream));

    app = await StartedApp.start({
      env: { CONFIG_FILE_PATH: configFile, FAKE_UPSTREAM_KEY: UPSTREAM_KEY },
    });
    alice = await onboard(app, 'internal_user');
  });

  afterAll(async () => {
    await app.close();
    await upstream.close();
  });

  function client(key: string, maxRetries = 0): OpenAI {
    return new OpenAI({ apiKey: key, baseURL: `${app.baseUrl}/v1`, maxRetries });
  }

  async function newKey(body: object = {}): Promise<{ key: string; token: string }> {
    const reply = await call(app, 'POST', '/key/generate', { auth: alice.session, body });
    expect(reply.status).toBe(200);

    return { key: reply.body.key, token: reply.body.token };
  }

  /** Spend is written just after the answer goes out: wait until it shows. */
  async function logsOf(token: string, count: number): Promise<any[]> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const reply = await call(app, 'GET', '/spend/logs', {
        auth: MASTER,
        query: { api_key: token },
      });
      if (reply.body.length >= count || Date.now() > deadline) {
        return reply.body;
      }
      await new Promise((done) => setTimeout(done, 50));
    }
  }

  it('answers a chat completion through the official client', async () => {
    const { key, token } = await newKey();

    const completion = await client(key).chat.completions.create({
      model: 'gpt-4o',
      messages: HELLO,
    });

    expect(completion.choices[0].message.content).toBe('Hello world');
    expect(completion.usage).toMatchObject(CHAT_USAGE);
    // The upstream saw its own model name and its own key, never the virtual key.
    const seen = upstream.received.at(-1);
    expect(seen?.body.model).toBe('gpt-4o-upstream');
    expect(seen?.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);

    const [log] = await logsOf(token, 1);
    expect(log).toMatchObject({
      model: 'gpt-4o',
      prompt_tokens: 10,
      completion_tokens: 20,
      total_tokens: 30,
      status: 'success',
      user: alice.userId,
      call_type: 'chat_completion',
    });
    expect(log.spend).toBeCloseTo(CHAT_COST, 10);
  });

  it('reports its own overhead in a header', async () => {
    const { key } = await newKey();
    const reply = await call(app, 'POST', '/chat/completions', {
      auth: { bearer: key },
      body: { model: 'gpt-4o', messages: HELLO },
    });

    expect(reply.status).toBe(200);
    const overhead = Number(reply.headers.get('x-litellm-overhead-duration-ms'));
    expect(overhead).toBeGreaterThan(0);
    expect(overhead).toBeLessThan(1_000);
  });

  it('streams chunk by chunk as they arrive, and counts the streamed usage', async () => {
    const { key, token } = await newKey();
    const stream = await client(key).chat.completions.create({
      model: 'gpt-4o',
      messages: HELLO,
      stream: true,
    });

    const arrivals: number[] = [];
    let text = '';
    for await (const chunk of stream) {
      const piece = chunk.choices[0]?.delta?.content;
      if (piece) {
        arrivals.push(Date.now());
        text += piece;
      }
    }

    expect(text).toBe('Hello streaming world');
    // The upstream waits 50 ms between chunks (100 ms in all); buffering would deliver
    // them within a millisecond or two. The margin allows for a busy machine.
    expect(arrivals.at(-1)! - arrivals[0]).toBeGreaterThanOrEqual(40);
    const [log] = await logsOf(token, 1);
    expect(log).toMatchObject({ prompt_tokens: 10, completion_tokens: 20, status: 'success' });
  });

  /** Starts a chat with plain fetch, so that the test decides when the client leaves. */
  async function startChat(key: string, body: object, leave: AbortController) {
    return fetch(`${app.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: HELLO, ...body }),
      signal: leave.signal,
    });
  }

  it('finishes a stream the client leaves: charged for what it carried, slot freed', async () => {
    const { key, token } = await newKey({ max_parallel_requests: 1 });
    const leave = new AbortController();
    const response = await startChat(key, { model: 'slow-stream', stream: true }, leave);

    // Three words of ten arrive, then the client goes away.
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    while (!text.includes('word3')) {
      const { value } = await reader.read();
      text += Buffer.from(value as Uint8Array).toString('utf8');
    }
    leave.abort();

    const [log] = await logsOf(token, 1);
    expect(log.status).toBe('failure');
    expect(log.prompt_tokens).toBeGreaterThan(0);
    expect(log.completion_tokens).toBeGreaterThan(0);
    expect(log.spend).toBeGreaterThan(0);
    // The upstream was stopped too: the stream would have lasted about 3 s.
    expect(Date.parse(log.endTime) - Date.parse(log.startTime)).toBeLessThan(2_500);
    // The key's only parallel slot is free again.
    const next = await client(key).chat.completions.create({ model: 'gpt-4o', messages: HELLO });
    expect(next.choices[0].message.content).toBe('Hello world');
  });

  it('gives the slot back at once when the client leaves before the first byte', async () => {
    const { key, token } = await newKey({ max_parallel_requests: 1 });
    const leave = new AbortController();
    const pending = startChat(key, { model: 'slow' }, leave).catch((error: Error) => error);
    await new Promise((done) => setTimeout(done, 200));
    leave.abort();
    await pending;

    const [log] = await logsOf(token, 1);
    expect(log).toMatchObject({ status: 'failure', completion_tokens: 0 });
    // Well before the upstream's 1 s timeout would have ended it.
    expect(Date.parse(log.endTime) - Date.parse(log.startTime)).toBeLessThan(900);
    const next = await client(key).chat.completions.create({ model: 'gpt-4o', messages: HELLO });
    expect(next.choices[0].message.content).toBe('Hello world');
  });

  it('answers embeddings and lists only the models a key may use', async () => {
    const { key, token } = await newKey({ models: ['text-embedding-3-small', 'gpt-4o-mini'] });

    const embedding = await client(key).embeddings.create({
      model: 'text-embedding-3-small',
      input: 'hello',
    });
    expect(embedding.data[0].embedding.map((value) => Math.round(value * 10) / 10)).toEqual([
      0.1, 0.2, 0.3,
    ]);
    const [log] = await logsOf(token, 1);
    expect(log).toMatchObject({ call_type: 'embedding', prompt_tokens: 5 });
    expect(log.spend).toBeCloseTo(0.0005, 10);

    const models = await client(key).models.list();
    expect(models.data.map((model) => model.id).sort()).toEqual([
      'gpt-4o-mini',
      'text-embedding-3-small',
    ]);
  });

  it("refuses a model outside the key's models with key_model_access_denied", async () => {
    const { key } = await newKey({ models: ['gpt-4o-mini'] });
    const reply = await call(app, 'POST', '/v1/chat/completions', {
      auth: { bearer: key },
      body: { model: 'gpt-4o', messages: HELLO },
    });

    expect(expectError(reply, 401).type).toBe('key_model_access_denied');
    await expect(
      client(key).chat.completions.create({ model: 'gpt-4o', messages: HELLO }),
    ).rejects.toMatchObject({ status: 401 });
  });

  it('refuses an unknown model and a body without messages, naming the field', async () => {
    const { key } = await newKey();

    expectError(
      await call(app, 'POST', '/chat/completions', {
        auth: { bearer: key },
        body: { model: 'no-such-model', messages: HELLO },
      }),
      400,
      'model',
    );
    expectError(
      await call(app, 'POST', '/chat/completions', {
        auth: { bearer: key },
        body: { model: 'gpt-4o' },
      }),
      400,
      'messages',
    );
    for (const [field, value] of [
      ['stream', 'true'],
      ['stream', 1],
      ['stream_options', 'usage'],
    ]) {
      expectError(
        await call(app, 'POST', '/chat/completions', {
          auth: { bearer: key },
          body: { model: 'gpt-4o', messages: HELLO, [field as string]: value },
        }),
        400,
        field as string,
      );
    }
  });

  it('names only the models the key may use when refusing an unknown one', async () => {
    const { key } = await newKey({ models: ['gpt-4o-mini'] });

    const error = expectError(
      await call(app, 'POST', '/chat/completions', {
        auth: { bearer: key },
        body: { model: 'no-such-model', messages: HELLO },
      }),
      400,
      'model',
    );
    expect(error.message).toMatch(/available: gpt-4o-mini$/);
  });

  it('refuses a body nested too deeply to forward, holding nothing for it', async () => {
    const { key } = await newKey({ max_parallel_requests: 1 });
    const deep = '['.repeat(20_000) + ']'.repeat(20_000);
    const body = `{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"tools":${deep}}`;

    expectError(await call(app, 'POST', '/chat/completions', { auth: { bearer: key }, body }), 400);
    const next = await client(key).chat.completions.create({ model: 'gpt-4o', messages: HELLO });
    expect(next.choices[0].message.content).toBe('Hello world');
  });

  it('refuses missing, blocked and expired keys', async () => {
    expectError(
      await call(app, 'POST', '/chat/completions', { body: { model: 'gpt-4o', messages: HELLO } }),
      401,
    );

    const blocked = await newKey();
    await call(app, 'POST', '/key/block', { auth: MASTER, body: { key: blocked.token } });
    const refused = await call(app, 'POST', '/chat/completions', {
      auth: { bearer: blocked.key },
      body: { model: 'gpt-4o', messages: HELLO },
    });
    expect(expectError(refused, 401).message).toBe('Key is blocked');

    const expiring = await newKey({ duration: '1s' });
    await new Promise((done) => setTimeout(done, 1_200));
    const expired = await call(app, 'POST', '/chat/completions', {
      auth: { bearer: expiring.key },
      body: { model: 'gpt-4o', messages: HELLO },
    });
    expect(expectError(expired, 401).type).toBe('expired_key');
  });

  it('stops a key at once when it is blocked or deleted, despite the key cache', async () => {
    const { key, token } = await newKey();
    const ask = () =>
      call(app, 'POST', '/chat/completions', {
        auth: { bearer: key },
        body: { model: 'gpt-4o', messages: HELLO },
      });

    expect((await ask()).status).toBe(200);
    await call(app, 'POST', '/key/block', { auth: MASTER, body: { key: token } });
    expectError(await ask(), 401);
    await call(app, 'POST', '/key/unblock', { auth: MASTER, body: { key: token } });
    expect((await ask()).status).toBe(200);
    await call(app, 'POST', '/key/delete', { auth: alice.session, body: { keys: [token] } });
    expectError(await ask(), 401);
  });

  it("applies a change to the user at once to the user's cached keys", async () => {
    const member = await onboard(app, 'internal_user');
    const ask = () =>
      call(app, 'POST', '/chat/completions', {
        auth: { bearer: member.key },
        body: { model: 'gpt-4o', messages: HELLO },
      });

    expect((await ask()).status).toBe(200);
    await call(app, 'POST', '/user/update', {
      auth: MASTER,
      body: { user_id: member.userId, models: ['gpt-4o-mini'] },
    });
    expect(expectError(await ask(), 401).type).toBe('key_model_access_denied');

    await call(app, 'POST', '/user/delete', { auth: MASTER, body: { user_ids: [member.userId] } });
    expectError(await ask(), 401);
  });

  it('passes an upstream error on with its status, and counts it as a failure', async () => {
    const { key, token } = await newKey();
    const reply = await call(app, 'POST', '/chat/completions', {
      auth: { bearer: key },
      body: { model: 'broken', messages: HELLO },
    });

    const error = expectError(reply, 500);
    expect(error.message).toBe('the model fell over');
    const [log] = await logsOf(token, 1);
    expect(log).toMatchObject({ status: 'failure', spend: 0 });
  });

  it("never shows or logs the upstream's API key", async () => {
    const { key } = await newKey();
    const reply = await call(app, 'POST', '/chat/completions', {
      auth: { bearer: key },
      body: { model: 'misconfigured', messages: HELLO },
    });

    expectError(reply, 401);
    expect(reply.text).not.toContain(UPSTREAM_KEY);
    expect(app.logs.join('')).not.toContain(UPSTREAM_KEY);
    expect(app.logs.join('')).not.toContain(key);
  });

  it('answers 504 when the upstream does not answer in time', async () => {
    const { key } = await newKey();
    const reply = await call(app, 'POST', '/chat/completions', {
      auth: { bearer: key },
      body: { model: 'slow', messages: HELLO },
    });

    expect(expectError(reply, 504).type).toBe('timeout_error');
  });

  it('lets the first call of a tiny budget pass and refuses the next with 429', async () => {
    const { key } = await newKey({ max_budget: 0.01 });
    const ask = () =>
      call(app, 'POST', '/chat/completions', {
        auth: { bearer: key },
        body: { model: 'gpt-4o', messages: HELLO },
      });

    expect((await ask()).status).toBe(200);
    await new Promise((done) => setTimeout(done, 300));
    expect(expectError(await ask(), 429).type).toBe('budget_exceeded');
  });

  it('holds a budget under 50 concurrent calls: at most one call over', async () => {
    const { key, token } = await newKey({ max_budget: 10 * CHAT_COST });

    const replies = await Promise.all(
      Array.from({ length: 50 }, () =>
        call(app, 'POST', '/chat/completions', {
          auth: { bearer: key },
          body: { model: 'gpt-4o', messages: HELLO, max_tokens: 20 },
        }),
      ),
    );
    const passed = replies.filter((reply) => reply.status === 200).length;
    for (const refused of replies.filter((reply) => reply.status !== 200)) {
      expect(expectError(refused, 429).type).toBe('budget_exceeded');
    }
    process.stdout.write(`budget for 10 calls: ${passed} of 50 concurrent calls passed\n`);
    expect(passed).toBeGreaterThanOrEqual(1);
    expect(passed).toBeLessThanOrEqual(11);

    const logs = await logsOf(token, passed);
    const logged = logs.reduce((total, row) => total + row.spend, 0);
    const info = await call(app, 'GET', '/key/info', { auth: MASTER, query: { key: token } });
    expect(logs).toHaveLength(passed);
    expect(info.body.info.spend).toBeCloseTo(logged, 10);
    expect(info.body.info.spend).toBeLessThanOrEqual(11 * CHAT_COST + 1e-9);
  });

  it("applies the owner's budget to all of their keys", async () => {
    const owner = await onboard(app, 'internal_user');
    await call(app, 'POST', '/user/update', {
      auth: MASTER,
      body: { user_id: owner.userId, max_budget: 0.01 },
    });

    const ask = () =>
      call(app, 'POST', '/chat/completions', {
        auth: { bearer: owner.key },
        body: { model: 'gpt-4o', messages: HELLO },
      });
    // The key cache may hold the owner's old limits for a few seconds.
    await new Promise((done) => setTimeout(done, 5_100));
    expect((await ask()).status).toBe(200);
    await new Promise((done) => setTimeout(done, 300));
    expect(expectError(await ask(), 429).type).toBe('budget_exceeded');
  });

  it('limits requests per minute with Retry-After', async () => {
    const { key } = await newKey({ rpm_limit: 2 });
    const ask = () =>
      call(app, 'POST', '/chat/completions', {
        auth: { bearer: key },
        body: { model: 'gpt-4o-mini', messages: HELLO },
      });

    expect((await ask()).status).toBe(200);
    expect((await ask()).status).toBe(200);
    const limited = await ask();
    expect(expectError(limited, 429).type).toBe('rate_limit_error');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('limits tokens per minute', async () => {
    const { key } = await newKey({ tpm_limit: 30 });
    const ask = () =>
      call(app, 'POST', '/chat/completions', {
        auth: { bearer: key },
        body: { model: 'gpt-4o-mini', messages: HELLO },
      });

    expect((await ask()).status).toBe(200);
    expect(expectError(await ask(), 429).type).toBe('rate_limit_error');
  });

  it('limits parallel requests', async () => {
    const { key } = await newKey({ max_parallel_requests: 1 });
    const ask = () =>
      call(app, 'POST', '/chat/completions', {
        auth: { bearer: key },
        body: { model: 'gpt-4o-mini', messages: HELLO, stream: true },
      });

    const [first, second] = await Promise.all([ask(), ask()]);
    expect([first.status, second.status].sort()).toEqual([200, 429]);
  });

  it('keeps /key/info, /user/info, /spend/logs and daily activity in agreement', async () => {
    const member = await onboard(app, 'internal_user');
    const openai = client(member.key);
    await openai.chat.completions.create({ model: 'gpt-4o', messages: HELLO });
    await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: HELLO });
    await openai.embeddings.create({ model: 'text-embedding-3-small', input: 'hi' });

    const logs = await logsOf(member.keyToken, 3);
    const logged = logs.reduce((total: number, row: { spend: number }) => total + row.spend, 0);
    const key = await call(app, 'GET', '/key/info', {
      auth: member.session,
      query: { key: member.keyToken },
    });
    const user = await call(app, 'GET', '/user/info', { auth: member.session });
    const today = new Date().toISOString().slice(0, 10);
    const activity = await call(app, 'GET', '/user/daily/activity', {
      auth: member.session,
      query: { start_date: today, end_date: today },
    });

    expect(logs).toHaveLength(3);
    expect(key.body.info.spend).toBeCloseTo(logged, 10);
    expect(user.body.user_info.spend).toBeCloseTo(logged, 10);
    expect(activity.body.metadata.total_spend).toBeCloseTo(logged, 10);
    expect(activity.body.metadata.total_api_requests).toBe(3);
  });
});
