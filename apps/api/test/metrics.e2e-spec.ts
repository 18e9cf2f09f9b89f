import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, expectError, MASTER, Member, onboard, Reply } from './support/http';
import { CHAT_USAGE, FakeUpstream, gatewayConfig, UPSTREAM_KEY } from './support/fake-upstream';
import { MASTER_KEY, StartedApp } from './support/started-app';

const HELLO = [{ role: 'user' as const, content: 'Say hello' }];

/** One sample of the Prometheus text format: a metric name, its labels and its value. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * `/metrics`, which Prometheus scrapes with the master key: requests by route pattern and
 * status with their latency, gateway tokens and spend by model, the database pool and the
 * process, in the text format, for admin roles only, and never a secret in it.
 */
describe('the Prometheus metrics at /metrics', () => {
  let upstream: FakeUpstream;
  let app: StartedApp;
  let member: Member;

  beforeAll(async () => {
    upstream = await FakeUpstream.start();
    const configFile = join(mkdtempSync(join(tmpdir(), 'gatehouse-metrics-')), 'config.yaml');
    writeFileSync(configFile, gatewayConfig(upstream));
    app = await StartedApp.start({
      env: { CONFIG_FILE_PATH: configFile, FAKE_UPSTREAM_KEY: UPSTREAM_KEY },
    });
    member = await onboard(app, 'internal_user');
  });

  afterAll(async () => {
    await app?.close();
    await upstream?.close();
  });

  async function newKey(): Promise<{ key: string; token: string }> {
    const reply = await call(app, 'POST', '/key/generate', { auth: MASTER, body: {} });
    expect(reply.status).toBe(200);

    return { key: reply.body.key, token: reply.body.token };
  }

  function chat(key: string, model: string): Promise<Reply> {
    return call(app, 'POST', '/v1/chat/completions', {
      auth: { bearer: key },
      body: { model, messages: HELLO, max_tokens: 20 },
    });
  }

  async function scrape(): Promise<Sample[]> {
    const reply = await call(app, 'GET', '/metrics', { auth: MASTER });
    expect(reply.status).toBe(200);

    return parse(reply.text);
  }

  /**
   * Scrapes until the sample has grown by `by` since `before`, and returns the growth. The
   * app counts a request once its answer has gone out, a moment after the client has it.
   */
  async function growth(
    before: Sample[],
    name: string,
    labels: Record<string, string>,
    by: number,
  ): Promise<number> {
    const deadline = Date.now() + 2_000;
    for (;;) {
      const grown = valueOf(await scrape(), name, labels) - valueOf(before, name, labels);
      if (grown >= by - 1e-9 || Date.now() > deadline) {
        return grown;
      }
      await new Promise((done) => setTimeout(done, 50));
    }
  }

  it('refuses an anonymous caller with 401 in the error shape', async () => {
    const reply = await call(app, 'GET', '/metrics');

    expect(expectError(reply, 401).type).toBe('auth_error');
  });

  it("refuses an internal_user's key, session token and session cookie with 403", async () => {
    for (const auth of [{ bearer: member.key }, member.session, member.cookie]) {
      const reply = await call(app, 'GET', '/metrics', { auth });

      expect(expectError(reply, 403).type).toBe('auth_error');
    }
  });

  it('serves the Prometheus text format to the master key, never cached', async () => {
    const reply = await call(app, 'GET', '/metrics', { auth: MASTER });

    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(reply.headers.get('cache-control')).toBe('no-store');
    // Each metric is introduced by its HELP and TYPE lines, then its samples.
    expect(reply.text).toMatch(/^# HELP gatehouse_http_requests_total .+$/m);
    expect(reply.text).toMatch(/^# TYPE gatehouse_http_requests_total counter$/m);
    expect(reply.text).toMatch(/^# TYPE gatehouse_http_request_duration_seconds histogram$/m);
    expect(parse(reply.text).length).toBeGreaterThan(20);
  });

  it('counts HTTP requests by method, route pattern and status, never by raw URL', async () => {
    const { key, token } = await newKey();
    const before = await scrape();

    for (let i = 0; i < 3; i++) {
      expect((await call(app, 'GET', '/key/info', { auth: MASTER, query: { key } })).status).toBe(
        200,
      );
    }
    const unknown = `sk-${'x'.repeat(30)}`;
    const missing = await call(app, 'GET', '/key/info', { auth: MASTER, query: { key: unknown } });
    expect(missing.status).toBe(404);
    const regenerated = await call(app, 'POST', `/key/${key}/regenerate`, {
      auth: MASTER,
      body: {},
    });
    expect(regenerated.status).toBe(200);
    const info = await call(app, 'GET', '/user/info', {
      auth: MASTER,
      query: { user_id: member.userId },
    });
    expect(info.status).toBe(200);
    // A scan of made-up URLs must not grow one series per URL.
    for (let i = 0; i < 2; i++) {
      expect((await call(app, 'GET', `/no/such/route/${token}/${i}`)).status).toBe(404);
    }

    const requests = 'gatehouse_http_requests_total';
    const route = (method: string, pattern: string, status: number) => ({
      method,
      route: pattern,
      status_code: String(status),
    });
    expect(await growth(before, requests, route('GET', '/key/info', 200), 3)).toBe(3);
    expect(await growth(before, requests, route('GET', '/key/info', 404), 1)).toBe(1);
    expect(await growth(before, requests, route('POST', '/key/:key/regenerate', 200), 1)).toBe(1);
    expect(await growth(before, requests, route('GET', '/user/info', 200), 1)).toBe(1);
    expect(await growth(before, requests, route('GET', '(unmatched)', 404), 2)).toBe(2);

    // Routes are patterns: no label holds a key, a digest, a user id or a query string.
    const after = await scrape();
    const routes = new Set(after.filter((s) => s.name === requests).map((s) => s.labels.route));
    for (const pattern of routes) {
      expect(pattern).not.toMatch(/\?|sk-|[0-9a-f]{64}/);
      expect(pattern).not.toContain(member.userId);
    }
  });

  it('keeps a latency histogram per route whose buckets add up to its count', async () => {
    for (let i = 0; i < 4; i++) {
      expect((await call(app, 'GET', '/user/list', { auth: MASTER })).status).toBe(200);
    }

    const labels = { method: 'GET', route: '/user/list', status_code: '200' };
    const histogram = 'gatehouse_http_request_duration_seconds';
    // The first route of this suite to call /user/list: its series starts at zero.
    expect(await growth([], `${histogram}_count`, labels, 4)).toBe(4);
    const samples = await scrape();
    const buckets = samples
      .filter((s) => s.name === `${histogram}_bucket` && matches(s, labels))
      .map((s) => ({ le: s.labels.le === '+Inf' ? Infinity : Number(s.labels.le), value: s.value }))
      .sort((a, b) => a.le - b.le);
    const count = valueOf(samples, `${histogram}_count`, labels);

    expect(count).toBe(4);
    expect(valueOf(samples, 'gatehouse_http_requests_total', labels)).toBe(count);
    expect(buckets.length).toBeGreaterThan(5);
    expect(buckets.at(-1)).toEqual({ le: Infinity, value: count });
    // Cumulative: each bucket holds every request of the ones below it.
    buckets
      .slice(1)
      .forEach((bucket, i) => expect(bucket.value).toBeGreaterThanOrEqual(buckets[i].value));
    const sum = valueOf(samples, `${histogram}_sum`, labels);
    expect(sum).toBeGreaterThan(0);
    // Four quick reads on a test machine: well under the 10 s bucket.
    expect(sum).toBeLessThan(10);
  });

  it('counts gateway requests, tokens and spend by the model the client asked for', async () => {
    const { key } = await newKey();
    const before = await scrape();

    expect((await chat(key, 'gpt-4o')).status).toBe(200);
    expect((await chat(key, 'gpt-4o')).status).toBe(200);
    expect((await chat(key, 'gpt-4o-mini')).status).toBe(200);
    expect((await chat(key, 'broken')).status).toBe(500);

    const requests = 'gatehouse_gateway_requests_total';
    const tokens = 'gatehouse_gateway_tokens_total';
    const spend = 'gatehouse_gateway_spend_usd_total';
    expect(await growth(before, requests, { model: 'gpt-4o', status: 'success' }, 2)).toBe(2);
    expect(await growth(before, requests, { model: 'gpt-4o-mini', status: 'success' }, 1)).toBe(1);
    expect(await growth(before, requests, { model: 'broken', status: 'failure' }, 1)).toBe(1);
    const prompt = CHAT_USAGE.prompt_tokens;
    const completion = CHAT_USAGE.completion_tokens;
    expect(await growth(before, tokens, { model: 'gpt-4o', type: 'prompt' }, 2 * prompt)).toBe(
      2 * prompt,
    );
    expect(
      await growth(before, tokens, { model: 'gpt-4o', type: 'completion' }, 2 * completion),
    ).toBe(2 * completion);
    // The config's prices: 10 x 0.001 + 20 x 0.002 for gpt-4o, a tenth of that for mini.
    expect(await growth(before, spend, { model: 'gpt-4o' }, 0.1)).toBeCloseTo(0.1, 9);
    expect(await growth(before, spend, { model: 'gpt-4o-mini' }, 0.005)).toBeCloseTo(0.005, 9);
    // Labelled by the name clients use, not the upstream's own model name.
    const after = await scrape();
    expect(after.some((s) => s.name === requests && s.labels.model === 'gpt-4o-upstream')).toBe(
      false,
    );
  });

  it('reports the database pool: connections open, idle and waited for', async () => {
    // A read just before, so that a connection is open (the pool closes idle ones after 10 s).
    expect((await call(app, 'GET', '/user/list', { auth: MASTER })).status).toBe(200);
    const samples = await scrape();
    const total = valueOf(samples, 'gatehouse_db_pool_total', {});
    const idle = valueOf(samples, 'gatehouse_db_pool_idle', {});
    const waiting = valueOf(samples, 'gatehouse_db_pool_waiting', {});

    // Nothing else runs meanwhile: no query waits, and the pool is within its 10 connections.
    expect(total).toBeGreaterThanOrEqual(1);
    expect(total).toBeLessThanOrEqual(10);
    expect(idle).toBeGreaterThanOrEqual(0);
    expect(idle).toBeLessThanOrEqual(total);
    expect(waiting).toBe(0);
    // The process's own, under the same prefix.
    expect(valueOf(samples, 'gatehouse_process_resident_memory_bytes', {})).toBeGreaterThan(0);
  });

  it('never shows a key secret, a session token or the master key', async () => {
    const { key } = await newKey();
    expect((await chat(key, 'gpt-4o')).status).toBe(200);
    expect((await call(app, 'GET', '/key/info', { auth: { bearer: key } })).status).toBe(200);
    expect((await call(app, 'GET', '/key/info', { auth: MASTER, query: { key } })).status).toBe(
      200,
    );

    const text = (await call(app, 'GET', '/metrics', { auth: MASTER })).text;

    expect(text).not.toContain(MASTER_KEY);
    expect(text).not.toContain(UPSTREAM_KEY);
    // Every secret any request of this suite sent or was given, by kind.
    const shown = [...app.secrets]
      .filter(([value]) => text.includes(value))
      .map(([, kind]) => kind);
    expect(shown).toEqual([]);
    expect(text).not.toMatch(/sk-[A-Za-z0-9_-]{8,}/);
  });
});

/** The samples of a Prometheus text exposition (comments skipped). */
function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) {
      continue;
    }

    const labels: Record<string, string> = {};
    for (const [, name, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      labels[name] = value.replace(/\\(.)/g, (_, char: string) => (char === 'n' ? '\n' : char));
    }
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }

  return samples;
}

function matches(sample: Sample, labels: Record<string, string>): boolean {
  return Object.entries(labels).every(([name, value]) => sample.labels[name] === value);
}

/** The value of the one sample with exactly these labels; 0 when there is none yet. */
function valueOf(samples: Sample[], name: string, labels: Record<string, string>): number {
  const wanted = Object.keys(labels).length;
  const found = samples.filter(
    (s) => s.name === name && Object.keys(s.labels).length === wanted && matches(s, labels),
  );
  expect(found.length).toBeLessThanOrEqual(1);

  return found[0]?.value ?? 0;
}
