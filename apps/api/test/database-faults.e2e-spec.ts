import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, expectError, MASTER, Reply } from './support/http';
import { FakeUpstream, gatewayConfig, UPSTREAM_KEY } from './support/fake-upstream';
import { StartedApp } from './support/started-app';
import { TcpProxy } from './support/tcp-proxy';

// Cutting the database means putting a proxy between the app and a PostgreSQL server, which
// the embedded PGlite is not: this suite runs on the server in DATABASE_URL, or the local one.
process.env.DATABASE_URL ||= 'postgres://postgres@127.0.0.1:5432/test';

const HELLO = [{ role: 'user' as const, content: 'Say hello' }];
/** Requests in flight at any moment: enough to have some cut mid-query, few for 2 cores. */
const CONCURRENCY = 4;
/** A bound on the load, whatever the timings: it stops at this many requests. */
const MAX_REQUESTS = 3_000;
/** Each worker's pause between requests, which keeps the load to about 150 a second. */
const PAUSE_MS = 25;
/**
 * How long the database stays away: longer than the 5 s for which the gateway trusts a
 * cached key, so chats are seen both succeeding without the database and refused for it.
 */
const OUTAGE_MS = 7_000;
/** A request that needs the database must fail well before a client or probe gives up. */
const FAIL_FAST_MS = 4_000;

type Kind = 'key' | 'chat';

/** One request of the load, with when it was sent and answered, and what came back. */
interface Outcome {
  kind: Kind;
  sentAt: number;
  answeredAt: number;
  reply: Reply;
}

/**
 * PostgreSQL going away under load, as a crashed server or a lost network would make it:
 * readiness turns false, requests that need the database fail fast with 503 in the error
 * shape, the process stays alive, everything recovers without a restart once the database
 * is back, and nothing the app acknowledged with a success is missing afterwards.
 */
describe('when the database goes away under load and comes back', () => {
  let upstream: FakeUpstream;
  let proxy: TcpProxy;
  let app: StartedApp;

  beforeAll(async () => {
    upstream = await FakeUpstream.start();
    const configFile = join(mkdtempSync(join(tmpdir(), 'gatehouse-faults-')), 'config.yaml');
    writeFileSync(configFile, gatewayConfig(upstream));

    const server = new URL(process.env.DATABASE_URL as string);
    proxy = await TcpProxy.start(server.hostname, Number(server.port || 5432));
    app = await StartedApp.start({
      env: { CONFIG_FILE_PATH: configFile, FAKE_UPSTREAM_KEY: UPSTREAM_KEY },
      databaseUrl: (url) => throughProxy(url, proxy.port),
    });
  });

  afterAll(async () => {
    await app?.close();
    await proxy?.close();
    await upstream?.close();
  });

  it('answers 503 fast while away, recovers alone, loses nothing acknowledged', async () => {
    // Keys made before the load, so that chats have credentials whatever happens later.
    const chatKeys = await Promise.all([newKey(), newKey()]);
    const load = new Load(app, chatKeys);
    const running = load.run();
    await load.until((done) => done.filter(succeeded).length >= 20, 10_000);

    const cutAt = Date.now();
    proxy.cut();
    const notReady = await pollUntil(() => readiness(app), 503, 5_000);
    const readinessFalseMs = Date.now() - cutAt;
    expect(expectError(notReady, 503, null).type).toBe('service_unavailable');

    // The process itself is fine: an orchestrator must not restart it for this.
    expect((await call(app, 'GET', '/health/liveliness')).status).toBe(200);

    await new Promise((done) => setTimeout(done, Math.max(0, OUTAGE_MS - readinessFalseMs)));
    const stillAway = await readiness(app);
    expect(expectError(stillAway, 503, null).type).toBe('service_unavailable');
    expect(stillAway.headers.get('retry-after')).toBe('1');
    expect((await call(app, 'GET', '/health/liveness')).status).toBe(200);

    const restoredAt = Date.now();
    proxy.restore();
    const ready = await pollUntil(() => readiness(app), 200, 15_000);
    const readyAt = Date.now();
    const recoveryMs = readyAt - restoredAt;
    expect(ready.body).toMatchObject({ status: 'healthy', db: 'connected' });

    // Both kinds of request work again, on the same process, with no restart in between.
    const afterwards = (kind: Kind) => (done: Outcome[]) =>
      done.filter((o) => o.kind === kind && o.sentAt >= readyAt && succeeded(o)).length >= 5;
    await load.until((done) => afterwards('key')(done) && afterwards('chat')(done), 15_000);
    load.stop();
    const outcomes = await running;

    // Sent before the database was back and answered after it went: these could be refused.
    const exposed = outcomes.filter((o) => o.answeredAt >= cutAt && o.sentAt < readyAt);
    const refused = exposed.filter((o) => !succeeded(o));
    const refusedMs = refused.map(durationOf).sort((a, b) => a - b);
    // Chats answered on a cached key while the database was away: their spend waited in
    // memory, so finding their rows at the end shows that the writer kept and retried it.
    const heldInMemory = exposed.filter(
      (o) => o.kind === 'chat' && succeeded(o) && o.sentAt > cutAt && o.answeredAt < restoredAt,
    );
    report('recovery after the database returned (ms)', { recoveryMs, readinessFalseMs });
    report('requests while the database was away', {
      total: exposed.length,
      succeeded: exposed.length - refused.length,
      refused: refused.length,
      refusedMs: { median: percentile(refusedMs, 0.5), max: refusedMs.at(-1) },
      slowestMs: Math.max(...outcomes.map(durationOf)),
      chatsWithSpendHeldInMemory: heldInMemory.length,
      key: tally(exposed.filter((o) => o.kind === 'key')),
      chat: tally(exposed.filter((o) => o.kind === 'chat')),
    });

    expect(readinessFalseMs).toBeLessThan(5_000);
    expect(recoveryMs).toBeLessThan(10_000);

    // Success, or a 503 in the error shape while the database was away: never 500, no hang.
    for (const outcome of outcomes) {
      expect(durationOf(outcome)).toBeLessThan(FAIL_FAST_MS);
    }
    expect(outcomes.filter((o) => !succeeded(o) && !exposed.includes(o))).toEqual([]);
    for (const outcome of refused) {
      expect(outcome.reply.status).toBe(503);
      expect(expectError(outcome.reply, 503, null).type).toBe('service_unavailable');
      expect(outcome.reply.headers.get('retry-after')).toBe('1');
    }
    // No failure of any kind was unplanned, in a request or in the background.
    expect(app.logs.join('')).not.toMatch(/"msg":"unexpected failure"/);
    // Key writes need the database: during a 7 s outage some were refused.
    expect(refused.filter((o) => o.kind === 'key').length).toBeGreaterThan(0);
    // Chats need it once the cached key is 5 s old: some were refused too.
    expect(refused.filter((o) => o.kind === 'chat').length).toBeGreaterThan(0);
    expect(heldInMemory.length).toBeGreaterThan(0);

    await expectAcknowledgedRecorded(outcomes);
  });

  /**
   * Every key that /key/generate answered 200 for exists, and every chat answered 200 has
   * its spend row (by the request id the answer carries), once the spend writer has had
   * the time to retry what it kept in memory while the database was away.
   */
  async function expectAcknowledgedRecorded(outcomes: Outcome[]): Promise<void> {
    const ok = (kind: Kind) => outcomes.filter((o) => o.kind === kind && succeeded(o));
    const keyTokens = ok('key').map((outcome) => outcome.reply.body.token as string);
    const requestIds = ok('chat').map(
      (outcome) => outcome.reply.headers.get('x-litellm-call-id') as string,
    );
    expect(keyTokens.every((token) => /^[0-9a-f]{64}$/.test(token))).toBe(true);
    expect(requestIds.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(requestIds).size).toBe(requestIds.length);

    const keys = await app.sql<{ token: string }>(
      'SELECT token FROM keys WHERE token = ANY($1::text[])',
      [keyTokens],
    );
    const missingKeys = keyTokens.filter((token) => !keys.some((row) => row.token === token));

    // The spend writer backs off up to 5 s between attempts while the database is away.
    const deadline = Date.now() + 15_000;
    let missingSpend = requestIds;
    while (missingSpend.length > 0 && Date.now() < deadline) {
      const rows = await app.sql<{ request_id: string }>(
        `SELECT request_id FROM spend_logs
          WHERE request_id = ANY($1::text[]) AND status = 'success'`,
        [missingSpend],
      );
      const found = new Set(rows.map((row) => row.request_id));
      missingSpend = missingSpend.filter((id) => !found.has(id));
      if (missingSpend.length > 0) {
        await new Promise((done) => setTimeout(done, 200));
      }
    }

    report('acknowledged and found in the database', {
      keys: `${keyTokens.length - missingKeys.length} of ${keyTokens.length}`,
      chats: `${requestIds.length - missingSpend.length} of ${requestIds.length}`,
    });
    expect(keyTokens.length).toBeGreaterThan(0);
    expect(requestIds.length).toBeGreaterThan(0);
    expect(missingKeys).toEqual([]);
    expect(missingSpend).toEqual([]);
  }

  async function newKey(): Promise<string> {
    const reply = await call(app, 'POST', '/key/generate', { auth: MASTER, body: {} });
    expect(reply.status).toBe(200);

    return reply.body.key;
  }
});

/**
 * A few workers sending key creations (with the master key) and gateway chats in turn,
 * each timed, until stopped or MAX_REQUESTS is reached.
 */
class Load {
  private readonly outcomes: Outcome[] = [];
  private stopped = false;
  private sent = 0;

  constructor(
    private readonly app: StartedApp,
    private readonly chatKeys: string[],
  ) {}

  async run(): Promise<Outcome[]> {
    await Promise.all(Array.from({ length: CONCURRENCY }, (_, worker) => this.work(worker)));

    return this.outcomes;
  }

  stop(): void {
    this.stopped = true;
  }

  /** Waits until the outcomes so far pass the test, failing after `ms`. */
  async until(test: (outcomes: Outcome[]) => boolean, ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (!test(this.outcomes)) {
      if (Date.now() > deadline || this.sent >= MAX_REQUESTS) {
        throw new Error(`the load did not get there in ${ms} ms: ${summary(this.outcomes)}`);
      }
      await new Promise((done) => setTimeout(done, 20));
    }
  }

  private async work(worker: number): Promise<void> {
    for (let turn = 0; !this.stopped && this.sent < MAX_REQUESTS; turn++) {
      this.sent += 1;
      const kind: Kind = (worker + turn) % 2 === 0 ? 'key' : 'chat';
      const sentAt = Date.now();
      const reply = await this.send(kind, turn);
      this.outcomes.push({ kind, sentAt, answeredAt: Date.now(), reply });
      await new Promise((done) => setTimeout(done, PAUSE_MS));
    }
  }

  private send(kind: Kind, turn: number): Promise<Reply> {
    if (kind === 'key') {
      return call(this.app, 'POST', '/key/generate', { auth: MASTER, body: {} });
    }

    return call(this.app, 'POST', '/v1/chat/completions', {
      auth: { bearer: this.chatKeys[turn % this.chatKeys.length] },
      body: { model: 'gpt-4o', messages: HELLO, max_tokens: 20 },
    });
  }
}

/** The app's DATABASE_URL with the server's address replaced by the proxy's. */
function throughProxy(url: string, port: number): string {
  const parsed = new URL(url);
  parsed.hostname = '127.0.0.1';
  parsed.port = String(port);

  return parsed.toString();
}

function readiness(app: StartedApp): Promise<Reply> {
  return call(app, 'GET', '/health/readiness');
}

/** Asks until the answer has the status, failing after `ms`. */
async function pollUntil(ask: () => Promise<Reply>, status: number, ms: number): Promise<Reply> {
  const deadline = Date.now() + ms;
  for (;;) {
    const reply = await ask();
    if (reply.status === status) {
      return reply;
    }
    if (Date.now() > deadline) {
      throw new Error(`still ${reply.status} after ${ms} ms: ${reply.text}`);
    }
    await new Promise((done) => setTimeout(done, 50));
  }
}

function succeeded(outcome: Outcome): boolean {
  return outcome.reply.status === 200;
}

function durationOf(outcome: Outcome): number {
  return outcome.answeredAt - outcome.sentAt;
}

/** How many answers had each status. */
function tally(outcomes: Outcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const outcome of outcomes) {
    counts[outcome.reply.status] = (counts[outcome.reply.status] ?? 0) + 1;
  }

  return counts;
}

function summary(outcomes: Outcome[]): string {
  return JSON.stringify({
    key: tally(outcomes.filter((o) => o.kind === 'key')),
    chat: tally(outcomes.filter((o) => o.kind === 'chat')),
  });
}

function percentile(sorted: number[], fraction: number): number | undefined {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

/** A measurement, printed for the record. */
function report(what: string, value: object): void {
  process.stdout.write(`[measured] ${what}: ${JSON.stringify(value)}\n`);
}
