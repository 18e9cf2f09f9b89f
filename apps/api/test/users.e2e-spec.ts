import { call, expectError, MASTER, Member, onboard, uniqueEmail } from './support/http';
import { StartedApp } from './support/started-app';

describe('internal users', () => {
  let app: StartedApp;
  let admin: Member;
  let user: Member;

  beforeAll(async () => {
    app = await StartedApp.start();
    admin = await onboard(app, 'proxy_admin');
    user = await onboard(app, 'internal_user');
  });

  afterAll(() => app.close());

  it('creates a user with the contract defaults and a key shown once', async () => {
    const email = uniqueEmail('Defaults').replace('defaults', 'Defaults');
    const reply = await call(app, 'POST', '/user/new', {
      auth: MASTER,
      body: { user_email: email },
    });

    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      user_email: email,
      user_role: 'internal_user_viewer',
      spend: 0,
      models: [],
      metadata: {},
      max_budget: null,
    });
    expect(reply.body.user_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(reply.body.key).toMatch(/^sk-[A-Za-z0-9_-]{22,}$/);
    expect(reply.body.key_name).toBe(`sk-...${reply.body.key.slice(-4)}`);
    expect(reply.body.token).toMatch(/^[0-9a-f]{64}$/);
    expect(reply.body.expires).toBeNull();
    expect(reply.body).not.toHaveProperty('password_hash');

    // The key works as a credential at once, acting as its owner.
    const me = await call(app, 'GET', '/user/info', { auth: { bearer: reply.body.key } });
    expect(me.body.user_id).toBe(reply.body.user_id);
    // And is listed with the user, never with its secret.
    expect(me.body.keys).toHaveLength(1);
    expect(me.body.keys[0].token).toBe(reply.body.token);
    expect(JSON.stringify(me.body)).not.toContain(reply.body.key);
    expect(me.body.teams).toEqual([]);
  });

  it('honours a given user_id, role, budget fields and a key duration', async () => {
    const userId = `ada-${Date.now()}`;
    const reply = await call(app, 'POST', '/user/new', {
      auth: { bearer: admin.sessionToken },
      body: {
        user_id: userId,
        user_email: uniqueEmail(),
        user_alias: 'Ada',
        user_role: 'internal_user',
        max_budget: 12.5,
        budget_duration: '30d',
        models: ['gpt-4o'],
        tpm_limit: 1000,
        rpm_limit: 10,
        metadata: { team: 'research' },
        key_alias: 'ada-first',
        duration: '1h',
      },
    });

    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      user_id: userId,
      user_alias: 'Ada',
      user_role: 'internal_user',
      max_budget: 12.5,
      budget_duration: '30d',
      models: ['gpt-4o'],
      tpm_limit: 1000,
      rpm_limit: 10,
      metadata: { team: 'research' },
    });
    const expiresIn = Date.parse(reply.body.expires) - Date.parse(reply.body.created_at);
    expect(Math.abs(expiresIn - 3_600_000)).toBeLessThan(2_000);
  });

  it('creates no key when auto_create_key is false', async () => {
    const reply = await call(app, 'POST', '/user/new', {
      auth: MASTER,
      body: { user_email: uniqueEmail(), auto_create_key: false },
    });

    expect(reply.body.key).toBe('');
    expect(reply.body).not.toHaveProperty('token');
  });

  it('refuses a duplicate email in any case and an existing user_id', async () => {
    const duplicate = await call(app, 'POST', '/user/new', {
      auth: MASTER,
      body: { user_email: user.email.toUpperCase() },
    });
    expect(expectError(duplicate, 400, 'user_email').message).toMatch(/already exists/);

    const sameId = await call(app, 'POST', '/user/new', {
      auth: MASTER,
      body: { user_id: user.userId },
    });
    expectError(sameId, 400, 'user_id');
  });

  it('lets one of two concurrent creations of the same email win', async () => {
    const email = uniqueEmail('race');
    const replies = await Promise.all(
      Array.from({ length: 5 }, () =>
        call(app, 'POST', '/user/new', { auth: MASTER, body: { user_email: email } }),
      ),
    );

    expect(replies.filter((reply) => reply.status === 200)).toHaveLength(1);
    for (const reply of replies.filter((r) => r.status !== 200)) {
      expectError(reply, 400, 'user_email');
    }
  });

  it('shows users their own record and refuses anyone else', async () => {
    const own = await call(app, 'GET', '/user/info', { auth: user.session });
    expect(own.body.user_info).toMatchObject({ user_id: user.userId, user_email: user.email });

    const other = await call(app, 'GET', '/user/info', {
      auth: user.session,
      query: { user_id: admin.userId },
    });
    expectError(other, 403);

    const unknown = await call(app, 'GET', '/user/info', {
      auth: MASTER,
      query: { user_id: 'nobody-here' },
    });
    expect(expectError(unknown, 404).message).toBe('User nobody-here not found');
  });

  it('lists users with filters, sorting and paging', async () => {
    const marker = `lister${Date.now()}`;
    for (const index of [1, 2, 3]) {
      await call(app, 'POST', '/user/new', {
        auth: MASTER,
        body: {
          user_email: `${marker}-${index}@example.com`,
          user_alias: `alias-${index}`,
          user_role: index === 3 ? 'proxy_admin_viewer' : 'internal_user',
        },
      });
    }

    const page = await call(app, 'GET', '/user/list', {
      auth: MASTER,
      query: {
        user_email: marker.toUpperCase(),
        page_size: 2,
        sort_by: 'user_alias',
        sort_order: 'asc',
      },
    });
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ total: 3, page: 1, page_size: 2, total_pages: 2 });
    expect(page.body.users.map((u: { user_alias: string }) => u.user_alias)).toEqual([
      'alias-1',
      'alias-2',
    ]);
    expect(page.body.users[0].key_count).toBe(1);

    const second = await call(app, 'GET', '/user/list', {
      auth: MASTER,
      query: {
        user_email: marker,
        page_size: 2,
        page: 2,
        sort_by: 'user_alias',
        sort_order: 'asc',
      },
    });
    expect(second.body.users.map((u: { user_alias: string }) => u.user_alias)).toEqual(['alias-3']);

    const viewers = await call(app, 'GET', '/user/list', {
      auth: MASTER,
      query: { user_email: marker, role: 'proxy_admin_viewer' },
    });
    expect(viewers.body.total).toBe(1);

    const byIds = await call(app, 'GET', '/user/list', {
      auth: MASTER,
      query: { user_ids: `${user.userId},${admin.userId}` },
    });
    expect(byIds.body.users.map((u: { user_id: string }) => u.user_id).sort()).toEqual(
      [user.userId, admin.userId].sort(),
    );

    // Users are listed without passwords.
    expect(JSON.stringify(page.body)).not.toMatch(/password/);
  });

  it('refuses an unknown sort field and an oversized page', async () => {
    const sort = await call(app, 'GET', '/user/list', {
      auth: MASTER,
      query: { sort_by: 'secret' },
    });
    expectError(sort, 400, 'sort_by');

    const size = await call(app, 'GET', '/user/list', { auth: MASTER, query: { page_size: 101 } });
    expectError(size, 400, 'page_size');
  });

  it('updates only the fields given, and only existing users', async () => {
    const created = await call(app, 'POST', '/user/new', {
      auth: MASTER,
      body: { user_email: uniqueEmail(), user_alias: 'before', max_budget: 5 },
    });

    const updated = await call(app, 'POST', '/user/update', {
      auth: MASTER,
      body: { user_id: created.body.user_id, user_role: 'internal_user', metadata: { a: 1 } },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.user_id).toBe(created.body.user_id);
    expect(updated.body.data).toMatchObject({
      user_role: 'internal_user',
      user_alias: 'before',
      max_budget: 5,
      metadata: { a: 1 },
    });

    const byEmail = await call(app, 'POST', '/user/update', {
      auth: MASTER,
      body: { user_email: created.body.user_email.toUpperCase(), user_alias: 'after' },
    });
    expect(byEmail.body.data.user_alias).toBe('after');

    const unknown = await call(app, 'POST', '/user/update', {
      auth: MASTER,
      body: { user_id: 'does-not-exist', user_alias: 'x' },
    });
    expectError(unknown, 404);
    const stillMissing = await call(app, 'GET', '/user/info', {
      auth: MASTER,
      query: { user_id: 'does-not-exist' },
    });
    expectError(stillMissing, 404);
  });

  it('lets an admin set a password that follows the policy', async () => {
    const weak = await call(app, 'POST', '/user/update', {
      auth: MASTER,
      body: { user_id: user.userId, password: 'password1234' },
    });
    expectError(weak, 400, 'password');

    const stillWorks = await call(app, 'POST', '/v2/login', {
      body: { username: user.email, password: user.password },
    });
    expect(stillWorks.status).toBe(200);
  });

  it('deletes users with their keys and sessions, all or nothing', async () => {
    const doomed = await onboard(app, 'internal_user');

    const partial = await call(app, 'POST', '/user/delete', {
      auth: MASTER,
      body: { user_ids: [doomed.userId, 'not-a-user'] },
    });
    expectError(partial, 404);
    expect((await call(app, 'GET', '/user/info', { auth: doomed.session })).status).toBe(200);

    const deleted = await call(app, 'POST', '/user/delete', {
      auth: MASTER,
      body: { user_ids: [doomed.userId] },
    });
    expect(deleted.body).toEqual({ deleted_users: 1 });

    expectError(await call(app, 'GET', '/user/info', { auth: doomed.session }), 401);
    expectError(await call(app, 'GET', '/user/info', { auth: { bearer: doomed.key } }), 401);
    const rows = await app.sql('SELECT count(*)::int AS n FROM keys WHERE user_id = $1', [
      doomed.userId,
    ]);
    expect(rows[0].n).toBe(0);
  });
});
