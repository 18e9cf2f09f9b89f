import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { call, expectError, MASTER, Reply } from './support/http';
import { FakeUpstream, gatewayConfig, UPSTREAM_KEY } from './support/fake-upstream';
import { ADMIN_EMAIL, ADMIN_PASSWORD, StartedApp } from './support/started-app';

// Two instances share one database by nature, which the embedded PGlite cannot be: this
// suite runs on the PostgreSQL server in DATABASE_URL, or on the local one when it is unset.
process.env.DATABASE_URL ||= 'postgres://postgres@127.0.0.1:5432/test';

/** The local Redis, database 9; every key and channel of this run under its own prefix. */
const REDIS_URL = 'redis://127.0.0.1:6379/9';
const REDIS_PREFIX = `gatehouse-test-${randomBytes(4).toString('hex')}:`;

const HELLO = [{ role: 'user' as const, content: 'Say hello' }];
/** A chat with max_tokens 20 is estimated at exactly what it costs: 10 x 0.001 + 20 x 0.002. */
const CHAT_COST = 0.05;

/**
 * Two instances of Gatehouse behind an imaginary load balancer, sharing one PostgreSQL and
 * one Redis: what one instance learns or counts holds on the other.
 */
describe('several instances sharing PostgreSQL and Redis', () => {
  let upstream: FakeUpstream;
  let a: StartedApp;
  let b: StartedApp;

  beforeAll(async () => {
    upstream = await FakeUpstream.start();
    const configFile = join(mkdtempSync(join(tmpdir(), 'gatehouse-config-')), 'config.yaml');
    writeFileSync(configFile, gatewayConfig(upstream));

    a = await StartedApp.start({
      env: {
        CONFIG_FILE_PATH: configFile,
        FAKE_UPSTREAM_KEY: UPSTREAM_KEY,
        REDIS_URL,
        REDIS_PREFIX,
      },
    });
    b = await a.startSibling();
  });

  afterAll(async () => {
    await b?.close();
    await a?.close();
    await upstream.close();
    await forgetRedisKeys();
  });

  async function newKey(body: object = {}): Promise<{ key: string; token: string }> {
    const reply = await call(a, 'POST', '/key/generate', { auth: MASTER, body });
    expect(reply.status).toBe(200);

    return { key: reply.body.key, token: reply.body.token };
  }

  function chat(app: StartedApp, key: string, body: object = {}): Promise<Reply> {
    return call(app, 'POST', '/v1/chat/completions', {
      auth: { bearer: key },
      body: { model: 'gpt-4o', messages: HELLO, max_tokens: 20, ...body },
    });
  }

  /** Asks until the answer has the status; returns how long that took after `since`. */
  async function delayUntil(since: number, ask: () => Promise<Reply>, status: number) {
    for (;;) {
      const reply = await ask();
      if (reply.status === status) {
        return { delay: Date.now() - since, reply };
      }
      if (Date.now() - since > 5_000) {
        throw new Error(`still ${reply.status} after 5 s: ${reply.text}`);
      }
      await new Promise((done) => setTimeout(done, 5));
    }
  }

  it('stops a key on the other instance within 1 s: blocked, regenerated, deleted', async () => {
    const { key, token } = await newKey();
    const delays: Record<string, number> = {};

    // B has the key in its cache, which alone would keep it working for 5 s.
    expect((await chat(b, key)).status).toBe(200);
    expect(
      (await call(a, 'POST', '/key/block', { auth: MASTER, body: { key: token } })).status,
    ).toBe(200);
    const blocked = await delayUntil(Date.now(), () => chat(b, key), 401);
    expect(expectError(blocked.reply, 401).message).toBe('Key is blocked');
    delays.blocked = blocked.delay;

    const unblock = await call(a, 'POST', '/key/unblock', { auth: MASTER, body: { key: token } });
    expect(unblock.status).toBe(200);
    delays.unblocked = (await delayUntil(Date.now(), () => chat(b, key), 200)).delay;

    const regenerated = await call(a, 'POST', '/key/regenerate', {
      auth: MASTER,
      body: { key: token },
    });
    expect(regenerated.status).toBe(200);
    delays.regenerated = (await delayUntil(Date.now(), () => chat(b, key), 401)).delay;
    // The row keeps its id but is now known by the new secret's digest.
    const fresh = regenerated.body.key as string;
    expect(regenerated.body.token).not.toBe(token);
    expect((await chat(b, fresh)).status).toBe(200);

    const deleted = await call(a, 'POST', '/key/delete', {
      auth: MASTER,
      body: { keys: [regenerated.body.token] },
    });
    expect(deleted.status).toBe(200);
    delays.deleted = (await delayUntil(Date.now(), () => chat(b, fresh), 401)).delay;

    report('key changes seen by the other instance after (ms)', delays);
    for (const delay of Object.values(delays)) {
      expect(delay).toBeLessThan(1_000);
    }
  });

  it('holds a budget under concurrent requests split over both instances', async () => {
    const { key, token } = await newKey({ max_budget: 5 * CHAT_COST });

    // Alone, each instance would let five through: ten in all, twice the budget.
    const replies = await Promise.all(
      Array.from({ length: 40 }, (_, index) => chat(index % 2 === 0 ? a : b, key)),
    );

    const passed = replies.filter((reply) => reply.status === 200);
    const refused = replies.filter((reply) => reply.status !== 200);
    for (const reply of refused) {
      expect(expectError(reply, 429).type).toBe('budget_exceeded');
    }
    expect(passed.length).toBeGreaterThanOrEqual(1);

    const spent = await spendOf(token, passed.length);
    report('budget of 0.25 under 40 requests on two instances', {
      passed: passed.length,
      spent,
    });
    expect(spent).toBeLessThanOrEqual(5 * CHAT_COST + CHAT_COST + 1e-9);

    // Once the spend is in, both instances refuse the key.
    expect(expectError(await chat(a, key), 429).type).toBe('budget_exceeded');
    expect(expectError(await chat(b, key), 429).type).toBe('budget_exceeded');
  });

  it('counts requests and tokens per minute across both instances', async () => {
    await awayFromMinuteEnd();
    const requests = await newKey({ rpm_limit: 4 });
    for (const app of [a, b, a, b]) {
      expect((await chat(app, requests.key)).status).toBe(200);
    }
    for (const app of [a, b]) {
      const refused = await chat(app, requests.key);
      expect(expectError(refused, 429).type).toBe('rate_limit_error');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    }

    // Each chat uses 30 tokens: after two, 60 of 50 are used.
    const tokens = await newKey({ tpm_limit: 50 });
    expect((await chat(a, tokens.key)).status).toBe(200);
    expect((await chat(b, tokens.key)).status).toBe(200);
    expect(expectError(await chat(a, tokens.key), 429).message).toMatch(/tokens per minute/);
  });

  it('counts parallel requests across both instances', async () => {
    const { key } = await newKey({ max_parallel_requests: 2 });

    // Two slow streams, one on each instance, hold both slots for about 3 s.
    const streams = await Promise.all([a, b].map((app) => openStream(app, key)));
    for (const app of [a, b]) {
      expect(expectError(await chat(app, key), 429).message).toMatch(/parallel/);
    }

    await Promise.all(streams.map((stream) => stream.text()));
    expect((await chat(b, key)).status).toBe(200);
  });

  /** Waits for the spend rows of `count` requests and returns what they add up to. */
  async function spendOf(token: string, count: number): Promise<number> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const rows = await a.sql<{ spend: string }>(
        "SELECT spend FROM spend_logs WHERE api_key = $1 AND status = 'success'",
        [token],
      );
      if (rows.length >= count || Date.now() > deadline) {
        return rows.reduce((sum, row) => sum + Number(row.spend), 0);
      }
      await new Promise((done) => setTimeout(done, 50));
    }
  }
});

describe('replicas starting together on an empty database', () => {
  let apps: StartedApp[] = [];

  afterAll(async () => {
    // The first owns the schema: the others go before it drops it.
    await Promise.all(apps.slice(1).map((app) => app.close()));
    await apps[0]?.close();
  });

  it('migrate once and create exactly one first admin, who can sign in on any', async () => {
    apps = await StartedApp.startTogether(3);

    const admins = await apps[0].sql<{ user_email: string }>(
      "SELECT user_email FROM users WHERE user_role = 'proxy_admin'",
    );
    const migrations = await apps[0].sql<{ name: string }>('SELECT name FROM migrations');
    expect(admins).toEqual([{ user_email: ADMIN_EMAIL }]);
    expect(new Set(migrations.map((row) => row.name)).size).toBe(migrations.length);

    const created = apps.filter((app) => app.logs.join('').includes('first admin created'));
    expect(created).toHaveLength(1);
    for (const app of apps) {
      const login = await call(app, 'POST', '/v2/login', {
        body: { username: ADMIN_EMAIL, password: ADMIN_PASSWORD },
      });
      expect(login.status).toBe(200);
    }
  });
});

/** Starts a slow streaming chat and waits until its answer has begun. */
async function openStream(app: StartedApp, key: string): Promise<Response> {
  const response = await fetch(`${app.baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'slow-stream', messages: HELLO, stream: true }),
  });
  expect(response.status).toBe(200);

  return response;
}

/** Per-minute windows restart on the minute: a test near the end of one waits for the next. */
async function awayFromMinuteEnd(): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 50_000) {
    await new Promise((done) => setTimeout(done, 60_000 - intoMinute + 100));
  }
}

/** Removes what this run left in Redis. */
async function forgetRedisKeys(): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    const names = await redis.keys(`${REDIS_PREFIX}*`);
    if (names.length > 0) {
      await redis.del(...names);
    }
  } finally {
    redis.disconnect();
  }
}

/** A measurement, printed for the record. */
function report(what: string, value: object): void {
  process.stdout.write(`[measured] ${what}: ${JSON.stringify(value)}\n`);
}
