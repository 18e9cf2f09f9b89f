import { randomUUID } from 'node:crypto';
import { call, expectError, MASTER, Member, onboard } from './support/http';
import { StartedApp } from './support/started-app';

describe('spend', () => {
  let app: StartedApp;
  let adminViewer: Member;
  let alice: Member;
  let bob: Member;
  let aliceSecond: { key: string; token: string };

  const today = new Date().toISOString().slice(0, 10);
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

  function row(key: string, model: string, spend: number, day: string, status = 'success') {
    return {
      request_id: randomUUID(),
      api_key: key,
      model,
      prompt_tokens: 100,
      completion_tokens: 50,
      spend,
      startTime: `${day}T10:00:00.000Z`,
      endTime: `${day}T10:00:01.000Z`,
      status,
    };
  }

  beforeAll(async () => {
    app = await StartedApp.start();
    adminViewer = await onboard(app, 'proxy_admin_viewer');
    alice = await onboard(app, 'internal_user');
    bob = await onboard(app, 'internal_user');
    const second = await call(app, 'POST', '/key/generate', {
      auth: alice.session,
      body: { key_alias: 'second' },
    });
    aliceSecond = { key: second.body.key, token: second.body.token };

    const result = await app.importSpend([
      row(alice.key, 'gpt-4o', 0.25, yesterday),
      row(alice.key, 'gpt-4o-mini', 0.125, today),
      row(aliceSecond.key, 'gpt-4o', 0.5, today),
      row(aliceSecond.key, 'gpt-4o', 0, today, 'failure'),
      row(bob.key, 'gpt-4o', 2, today),
    ]);
    expect(result).toEqual({ imported: 5, skipped: 0 });
  });

  afterAll(() => app.close());

  it('keeps key and user totals equal to the sum of their log rows', async () => {
    const first = await call(app, 'GET', '/key/info', {
      auth: alice.session,
      query: { key: alice.keyToken },
    });
    const second = await call(app, 'GET', '/key/info', {
      auth: alice.session,
      query: { key: aliceSecond.token },
    });
    const user = await call(app, 'GET', '/user/info', { auth: alice.session });
    const logs = await call(app, 'GET', '/spend/logs', { auth: alice.session });

    const sum = (rows: { spend: number }[]) => rows.reduce((total, r) => total + r.spend, 0);
    const ofKey = (token: string) =>
      logs.body.filter((r: { api_key: string }) => r.api_key === token);

    expect(first.body.info.spend).toBeCloseTo(sum(ofKey(alice.keyToken)), 10);
    expect(second.body.info.spend).toBeCloseTo(sum(ofKey(aliceSecond.token)), 10);
    expect(user.body.user_info.spend).toBeCloseTo(sum(logs.body), 10);
    expect(user.body.user_info.spend).toBeCloseTo(0.875, 10);
    expect(user.body.keys.map((k: { spend: number }) => k.spend).sort()).toEqual([0.375, 0.5]);
  });

  it('records a request id once, however often it is imported', async () => {
    const again = row(bob.key, 'gpt-4o', 1, today);
    expect(await app.importSpend([again])).toEqual({ imported: 1, skipped: 0 });
    expect(await app.importSpend([again])).toEqual({ imported: 0, skipped: 1 });

    const info = await call(app, 'GET', '/key/info', {
      auth: MASTER,
      query: { key: bob.keyToken },
    });
    expect(info.body.info.spend).toBe(3);
  });

  it('shows internal users only their own logs', async () => {
    const own = await call(app, 'GET', '/spend/logs', { auth: alice.session });
    expect(own.body).toHaveLength(4);
    expect(own.body.every((r: { user: string }) => r.user === alice.userId)).toBe(true);
    expect(own.body[0]).toEqual(
      expect.objectContaining({
        request_id: expect.any(String),
        api_key: expect.stringMatching(/^[0-9a-f]{64}$/),
        model: expect.any(String),
        prompt_tokens: 100,
        completion_tokens: 50,
        total_tokens: 150,
        startTime: expect.any(String),
        endTime: expect.any(String),
      }),
    );

    expectError(
      await call(app, 'GET', '/spend/logs', {
        auth: alice.session,
        query: { user_id: bob.userId },
      }),
      403,
    );
    const bobsKey = await call(app, 'GET', '/spend/logs', {
      auth: alice.session,
      query: { api_key: bob.key },
    });
    expect(bobsKey.body).toEqual([]);
  });

  it('shows admins everyone, filtered by key, user, request and date', async () => {
    const all = await call(app, 'GET', '/spend/logs', { auth: adminViewer.session });
    expect(all.body.length).toBeGreaterThanOrEqual(6);

    const byKey = await call(app, 'GET', '/spend/logs', {
      auth: adminViewer.session,
      query: { api_key: aliceSecond.key },
    });
    expect(byKey.body).toHaveLength(2);

    const byDay = await call(app, 'GET', '/spend/logs', {
      auth: adminViewer.session,
      query: { user_id: alice.userId, start_date: yesterday, end_date: yesterday },
    });
    expect(byDay.body).toHaveLength(1);
    expect(byDay.body[0].spend).toBe(0.25);

    const byRequest = await call(app, 'GET', '/spend/logs', {
      auth: adminViewer.session,
      query: { request_id: byDay.body[0].request_id },
    });
    expect(byRequest.body).toHaveLength(1);

    const summary = await call(app, 'GET', '/spend/logs', {
      auth: adminViewer.session,
      query: { user_id: alice.userId, summarize: true },
    });
    const spendByDay = Object.fromEntries(
      summary.body.map((day: { startTime: string; spend: number }) => [day.startTime, day.spend]),
    );
    expect(spendByDay).toEqual({ [today]: 0.625, [yesterday]: 0.25 });
  });

  it('reports daily activity whose totals equal the sum of the rows', async () => {
    const reply = await call(app, 'GET', '/user/daily/activity', {
      auth: alice.session,
      query: { start_date: yesterday, end_date: today },
    });
    expect(reply.status).toBe(200);

    const days = reply.body.results;
    expect(days.map((day: { date: string }) => day.date)).toEqual([yesterday, today]);
    const todayReport = days[1];
    expect(todayReport.metrics).toMatchObject({
      spend: 0.625,
      api_requests: 3,
      successful_requests: 2,
      failed_requests: 1,
      prompt_tokens: 300,
      completion_tokens: 150,
      total_tokens: 450,
    });
    expect(todayReport.breakdown.models['gpt-4o'].metrics.spend).toBe(0.5);
    expect(todayReport.breakdown.models['gpt-4o-mini'].metrics.spend).toBe(0.125);
    expect(todayReport.breakdown.api_keys[aliceSecond.token]).toMatchObject({
      metrics: { spend: 0.5, api_requests: 2 },
      metadata: { key_alias: 'second' },
    });

    const logs = await call(app, 'GET', '/spend/logs', { auth: alice.session });
    const logged = logs.body.reduce((total: number, r: { spend: number }) => total + r.spend, 0);
    expect(reply.body.metadata.total_spend).toBeCloseTo(logged, 10);
    expect(reply.body.metadata.total_api_requests).toBe(logs.body.length);
  });

  it('pages daily activity by days while the totals cover the whole range', async () => {
    const pages = await Promise.all(
      [1, 2].map((page) =>
        call(app, 'GET', '/user/daily/activity', {
          auth: alice.session,
          query: { start_date: yesterday, end_date: today, page, page_size: 1 },
        }),
      ),
    );

    expect(pages.map((reply) => reply.body.results[0].date)).toEqual([yesterday, today]);
    expect(pages[0].body.metadata).toMatchObject({ page: 1, total_pages: 2, has_more: true });
    expect(pages[1].body.metadata).toMatchObject({ page: 2, total_pages: 2, has_more: false });
    expect(pages[1].body.metadata.total_spend).toBeCloseTo(0.875, 10);
  });

  it("shows admins everyone's activity and internal users only theirs", async () => {
    const everyone = await call(app, 'GET', '/user/daily/activity', {
      auth: adminViewer.session,
      query: { start_date: yesterday, end_date: today },
    });
    expect(everyone.body.metadata.total_spend).toBeCloseTo(0.875 + 3, 10);

    expectError(
      await call(app, 'GET', '/user/daily/activity', {
        auth: alice.session,
        query: { start_date: today, end_date: today, user_id: bob.userId },
      }),
      403,
    );
  });

  it('requires valid dates for daily activity, naming the field', async () => {
    expectError(
      await call(app, 'GET', '/user/daily/activity', { auth: alice.session }),
      400,
      'start_date',
    );
    expectError(
      await call(app, 'GET', '/user/daily/activity', {
        auth: alice.session,
        query: { start_date: today, end_date: 'tomorrow' },
      }),
      400,
      'end_date',
    );
    expectError(
      await call(app, 'GET', '/user/daily/activity', {
        auth: alice.session,
        query: { start_date: today, end_date: yesterday },
      }),
      400,
      'end_date',
    );
  });

  it('keeps proxy-wide spend to admins', async () => {
    expectError(await call(app, 'GET', '/global/spend', { auth: alice.session }), 403);
    expectError(await call(app, 'GET', '/global/spend/keys', { auth: alice.session }), 403);

    const total = await call(app, 'GET', '/global/spend', { auth: adminViewer.session });
    expect(total.body.spend).toBeCloseTo(3.875, 10);

    const top = await call(app, 'GET', '/global/spend/keys', { auth: MASTER, query: { limit: 2 } });
    expect(top.body).toHaveLength(2);
    expect(top.body[0]).toMatchObject({ api_key: bob.keyToken, total_spend: 3 });
  });

  it('starts a new budget period when the budget duration ends', async () => {
    const key = await call(app, 'POST', '/key/generate', {
      auth: alice.session,
      body: { max_budget: 1, budget_duration: '1s' },
    });
    await app.importSpend([row(key.body.key, 'gpt-4o', 0.75, today)]);
    const resetBefore = Date.parse(key.body.budget_reset_at);

    // Budgets are reset on a 15-second beat; wait for it.
    const deadline = Date.now() + 25_000;
    let info = await call(app, 'GET', '/key/info', {
      auth: MASTER,
      query: { key: key.body.token },
    });
    while (info.body.info.spend !== 0 && Date.now() < deadline) {
      await new Promise((done) => setTimeout(done, 500));
      info = await call(app, 'GET', '/key/info', { auth: MASTER, query: { key: key.body.token } });
    }

    expect(info.body.info.spend).toBe(0);
    expect(Date.parse(info.body.info.budget_reset_at)).toBeGreaterThan(resetBefore);
    // The history stays in the log.
    const logs = await call(app, 'GET', '/spend/logs', {
      auth: MASTER,
      query: { api_key: key.body.token },
    });
    expect(logs.body).toHaveLength(1);
  });
});
