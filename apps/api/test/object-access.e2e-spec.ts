import { call, expectError, MASTER, Member, onboard } from './support/http';
import { StartedApp } from './support/started-app';

/**
 * Object- and field-level access: one user reaching another's keys and spend by every
 * form of id, users raising their own rights, viewers writing. Every attempt is refused
 * and leaves things as they were.
 */
describe('object and field level access', () => {
  let app: StartedApp;
  let alice: Member;
  let bob: Member;
  let bobKey: { key: string; token: string };
  let adminViewer: Member;

  beforeAll(async () => {
    app = await StartedApp.start();
    alice = await onboard(app, 'internal_user');
    bob = await onboard(app, 'internal_user');
    adminViewer = await onboard(app, 'proxy_admin_viewer');
    const key = await call(app, 'POST', '/key/generate', {
      auth: bob.session,
      body: { key_alias: 'bobs', max_budget: 5 },
    });
    bobKey = { key: key.body.key, token: key.body.token };
  });

  afterAll(() => app.close());

  async function bobsKeyNow() {
    return (await call(app, 'GET', '/key/info', { auth: MASTER, query: { key: bobKey.token } }))
      .body.info;
  }

  it("refuses every way of reaching another user's key, changing nothing", async () => {
    const before = await bobsKeyNow();

    for (const id of [bobKey.key, bobKey.token]) {
      for (const as of [alice.session, { bearer: alice.key }, alice.cookie]) {
        expectError(await call(app, 'GET', '/key/info', { auth: as, query: { key: id } }), 403);
        expectError(
          await call(app, 'POST', '/key/update', { auth: as, body: { key: id, key_alias: 'x' } }),
          403,
        );
        expectError(
          await call(app, 'POST', '/key/regenerate', { auth: as, body: { key: id } }),
          403,
        );
        expectError(
          await call(app, 'POST', `/key/${encodeURIComponent(id)}/regenerate`, {
            auth: as,
            body: {},
          }),
          403,
        );
        expectError(
          await call(app, 'POST', '/key/delete', { auth: as, body: { keys: [id] } }),
          403,
        );
        expectError(await call(app, 'POST', '/key/block', { auth: as, body: { key: id } }), 403);
      }
    }
    expectError(
      await call(app, 'POST', '/key/delete', {
        auth: alice.session,
        body: { key_aliases: ['bobs'] },
      }),
      404,
    );

    expect(await bobsKeyNow()).toEqual(before);
    expect((await call(app, 'GET', '/key/info', { auth: { bearer: bobKey.key } })).status).toBe(
      200,
    );
  });

  it("refuses reading another user's spend and record by any filter", async () => {
    for (const as of [alice.session, { bearer: alice.key }]) {
      expectError(
        await call(app, 'GET', '/spend/logs', { auth: as, query: { user_id: bob.userId } }),
        403,
      );
      expectError(
        await call(app, 'GET', '/user/daily/activity', {
          auth: as,
          query: { start_date: '2026-01-01', end_date: '2026-01-02', user_id: bob.userId },
        }),
        403,
      );
      expectError(
        await call(app, 'GET', '/user/info', { auth: as, query: { user_id: bob.userId } }),
        403,
      );
      expectError(
        await call(app, 'GET', '/key/list', { auth: as, query: { user_id: bob.userId } }),
        403,
      );
      const byKey = await call(app, 'GET', '/spend/logs', {
        auth: as,
        query: { api_key: bobKey.key },
      });
      expect(byKey.body).toEqual([]);
      const byHash = await call(app, 'GET', '/key/list', {
        auth: as,
        query: { key_hash: bobKey.token },
      });
      expect(byHash.body.keys).toEqual([]);
    }
  });

  it('refuses users raising their own role, budget or spend', async () => {
    const attempts = [
      { user_id: alice.userId, user_role: 'proxy_admin' },
      { user_id: alice.userId, max_budget: 1e6 },
      { user_email: alice.email, user_role: 'proxy_admin' },
    ];
    for (const body of attempts) {
      expectError(await call(app, 'POST', '/user/update', { auth: alice.session, body }), 403);
      expectError(
        await call(app, 'POST', '/user/update', { auth: { bearer: alice.key }, body }),
        403,
      );
    }

    const own = await call(app, 'POST', '/key/generate', { auth: alice.session, body: {} });
    for (const change of [{ spend: 0 }, { user_id: bob.userId }, { blocked: false }]) {
      const reply = await call(app, 'POST', '/key/update', {
        auth: alice.session,
        body: { key: own.body.token, ...change },
      });
      expect(reply.status === 400 || reply.status === 403).toBe(true);
    }

    const me = await call(app, 'GET', '/user/info', { auth: alice.session });
    expect(me.body.user_info).toMatchObject({ user_role: 'internal_user', max_budget: null });
    const key = await call(app, 'GET', '/key/info', {
      auth: alice.session,
      query: { key: own.body.token },
    });
    expect(key.body.info).toMatchObject({ user_id: alice.userId, spend: 0, blocked: false });
  });

  it('lets an admin viewer write nothing', async () => {
    const before = await call(app, 'GET', '/audit', { auth: MASTER, query: { page_size: 1 } });
    const writes: [string, object][] = [
      ['/user/new', { user_email: 'viewer-made@example.com' }],
      ['/user/update', { user_id: bob.userId, user_role: 'proxy_admin' }],
      ['/user/delete', { user_ids: [bob.userId] }],
      ['/user/block', { user_id: bob.userId }],
      ['/user/password/reset', { user_id: bob.userId }],
      ['/user/sessions/end_all', { user_id: bob.userId }],
      ['/invitation/new', { user_id: bob.userId }],
      ['/key/generate', {}],
      ['/key/update', { key: bobKey.token, key_alias: 'x' }],
      ['/key/delete', { keys: [bobKey.token] }],
      ['/key/regenerate', { key: bobKey.token }],
      ['/key/block', { key: bobKey.token }],
    ];

    for (const [path, body] of writes) {
      for (const as of [adminViewer.session, { bearer: adminViewer.key }]) {
        expectError(await call(app, 'POST', path, { auth: as, body }), 403);
      }
    }

    const after = await call(app, 'GET', '/audit', { auth: MASTER, query: { page_size: 1 } });
    expect(after.body.total).toBe(before.body.total);
    expect((await call(app, 'GET', '/user/info', { auth: bob.session })).status).toBe(200);
  });
});
