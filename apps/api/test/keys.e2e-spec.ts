import { call, expectError, MASTER, Member, onboard, Reply } from './support/http';
import { StartedApp } from './support/started-app';

describe('keys', () => {
  let app: StartedApp;
  let admin: Member;
  let adminViewer: Member;
  let alice: Member;
  let bob: Member;
  let viewer: Member;

  beforeAll(async () => {
    app = await StartedApp.start();
    admin = await onboard(app, 'proxy_admin');
    adminViewer = await onboard(app, 'proxy_admin_viewer');
    alice = await onboard(app, 'internal_user');
    bob = await onboard(app, 'internal_user');
    viewer = await onboard(app, 'internal_user_viewer');
  });

  afterAll(() => app.close());

  function generate(as: Member | null, body: object = {}) {
    return call(app, 'POST', '/key/generate', { auth: as ? as.session : MASTER, body });
  }

  describe('creating', () => {
    it('gives an internal user their own key, shown once', async () => {
      const reply = await generate(alice, { key_alias: 'laptop', models: ['gpt-4o'] });

      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({
        key_alias: 'laptop',
        models: ['gpt-4o'],
        user_id: alice.userId,
        created_by: alice.userId,
        blocked: false,
        expires: null,
        spend: 0,
      });
      expect(reply.body.key).toMatch(/^sk-[A-Za-z0-9_-]{22,}$/);
      expect(reply.body.key_name).toBe(`sk-...${reply.body.key.slice(-4)}`);
      expect(reply.body.token).toMatch(/^[0-9a-f]{64}$/);
      expect(reply.body.token_id).toBe(reply.body.token);

      // Never again: not in info, lists or the user's record.
      const info = await call(app, 'GET', '/key/info', {
        auth: alice.session,
        query: { key: reply.body.token },
      });
      const list = await call(app, 'GET', '/key/list', {
        auth: alice.session,
        query: { return_full_object: true },
      });
      const user = await call(app, 'GET', '/user/info', { auth: alice.session });
      for (const later of [info, list, user]) {
        expect(later.status).toBe(200);
        expect(later.text).not.toContain(reply.body.key);
      }
      expect(info.body.info).not.toHaveProperty('key');
    });

    it('refuses a key for someone else unless the caller is proxy_admin', async () => {
      expectError(await generate(alice, { user_id: bob.userId }), 403);

      const byAdmin = await generate(admin, { user_id: bob.userId });
      expect(byAdmin.status).toBe(200);
      expect(byAdmin.body.user_id).toBe(bob.userId);
      expect(byAdmin.body.created_by).toBe(admin.userId);
    });

    it('refuses viewers', async () => {
      expectError(await generate(viewer), 403);
      expectError(await generate(adminViewer), 403);
    });

    it('sets expiry to exactly creation time plus the duration', async () => {
      const hour = await generate(alice, { duration: '2h' });
      expect(Date.parse(hour.body.expires) - Date.parse(hour.body.created_at)).toBe(7_200_000);

      const month = await generate(alice, { duration: '1mo' });
      const created = new Date(month.body.created_at);
      const expected = new Date(created);
      expected.setUTCMonth(created.getUTCMonth() + 1);
      if (expected.getUTCDate() !== created.getUTCDate()) {
        expected.setUTCDate(0);
      }
      expect(month.body.expires).toBe(expected.toISOString());
    });

    it('counts a duration given on update from the creation time too', async () => {
      const key = (await generate(alice, { duration: '2h' })).body;

      const reply = await call(app, 'POST', '/key/update', {
        auth: alice.session,
        body: { key: key.token, duration: '5h' },
      });
      expect(reply.status).toBe(200);
      expect(Date.parse(reply.body.expires) - Date.parse(key.created_at)).toBe(18_000_000);
    });

    it('echoes the requested duration beside the expiry', async () => {
      const reply = await generate(alice, { duration: '30d' });

      expect(reply.body.duration).toBe('30d');
      expect((await generate(alice)).body.duration).toBeNull();
    });

    it('says that email is off when asked to email the owner without SMTP', async () => {
      const reply = await generate(alice, { send_invite_email: true });

      expect(reply.status).toBe(200);
      expect(reply.body.email_status).toBe('disabled');
      expect((await generate(alice)).body).not.toHaveProperty('email_status');
    });

    it('round-trips budget and limit fields', async () => {
      const reply = await generate(alice, {
        max_budget: 2.5,
        budget_duration: '30d',
        tpm_limit: 1000,
        rpm_limit: 60,
        max_parallel_requests: 4,
        metadata: { team: 'ml' },
      });
      const info = await call(app, 'GET', '/key/info', {
        auth: alice.session,
        query: { key: reply.body.key },
      });

      expect(info.body.info).toMatchObject({
        max_budget: 2.5,
        budget_duration: '30d',
        tpm_limit: 1000,
        rpm_limit: 60,
        max_parallel_requests: 4,
        metadata: { team: 'ml' },
      });
      const resetIn =
        Date.parse(info.body.info.budget_reset_at) - Date.parse(reply.body.created_at);
      expect(resetIn).toBe(30 * 86_400_000);
    });

    it('accepts a custom key once and refuses bad ones naming key', async () => {
      const custom = `sk-custom-${Date.now()}`;
      const first = await generate(alice, { key: custom });
      expect(first.body.key).toBe(custom);
      expect(expectError(await generate(bob, { key: custom }), 400, 'key').message).not.toContain(
        custom,
      );

      expectError(await generate(alice, { key: 'pk-not-a-key-at-all' }), 400, 'key');
      expectError(await generate(alice, { key: 'sk-short' }), 400, 'key');
    });

    it('refuses bad fields naming them', async () => {
      expectError(await generate(alice, { duration: '10 years' }), 400, 'duration');
      expectError(await generate(alice, { max_budget: -5 }), 400, 'max_budget');
      expectError(await generate(alice, { models: 'gpt-4o' }), 400, 'models');
      expectError(await generate(alice, { spend: 100 }), 400, 'spend');
      expectError(await generate(admin, { user_id: 'ghost-user' }), 400, 'user_id');
    });

    it('serves 10 concurrent creations', async () => {
      const replies = await Promise.all(
        Array.from({ length: 10 }, (_, index) => generate(bob, { key_alias: `burst-${index}` })),
      );

      expect(replies.map((reply) => reply.status)).toEqual(Array(10).fill(200));
      expect(new Set(replies.map((reply) => reply.body.token)).size).toBe(10);
    });
  });

  describe('reading', () => {
    it('shows a key to its owner and admins, 403 to others, 404 when unknown', async () => {
      const key = (await generate(alice)).body;

      for (const who of [alice, admin, adminViewer]) {
        const reply = await call(app, 'GET', '/key/info', {
          auth: who.session,
          query: { key: key.token },
        });
        expect(reply.status).toBe(200);
        expect(reply.body.info.token).toBe(key.token);
      }
      for (const who of [bob, viewer]) {
        expectError(
          await call(app, 'GET', '/key/info', { auth: who.session, query: { key: key.key } }),
          403,
        );
      }
      expectError(
        await call(app, 'GET', '/key/info', { auth: MASTER, query: { key: 'sk-unknown-key-123' } }),
        404,
      );
    });

    it('describes the calling key by default', async () => {
      const key = (await generate(alice)).body;
      const reply = await call(app, 'GET', '/key/info', { auth: { bearer: key.key } });

      expect(reply.body.info.token).toBe(key.token);
    });

    it('lets a key of no user describe itself, and nothing else', async () => {
      const ownerless = (await generate(null)).body;
      const other = (await generate(alice)).body;
      const self = await call(app, 'GET', '/key/info', { auth: { bearer: ownerless.key } });

      expect(ownerless.user_id).toBeNull();
      expect(self.status).toBe(200);
      expect(self.body).toMatchObject({ key: ownerless.token, info: { user_id: null } });

      const auth = { bearer: ownerless.key };
      const another = await call(app, 'GET', '/key/info', { auth, query: { key: other.token } });
      const list = await call(app, 'GET', '/key/list', { auth });
      expectError(another, 403);
      expectError(list, 403);
    });

    it('accepts keys in x-api-key and API-Key headers', async () => {
      const key = (await generate(alice)).body;

      for (const header of ['x-api-key', 'API-Key']) {
        const reply = await call(app, 'GET', '/key/info', { auth: { header, value: key.key } });
        expect(reply.body.info.token).toBe(key.token);
      }
    });

    it('lists own keys for internal roles and every key for admins', async () => {
      const own = await call(app, 'GET', '/key/list', {
        auth: alice.session,
        query: { return_full_object: true, size: 100 },
      });
      expect(own.status).toBe(200);
      expect(own.body.keys.length).toBeGreaterThan(0);
      expect(own.body.keys.every((key: { user_id: string }) => key.user_id === alice.userId)).toBe(
        true,
      );

      expectError(
        await call(app, 'GET', '/key/list', {
          auth: alice.session,
          query: { user_id: bob.userId },
        }),
        403,
      );

      const all = await call(app, 'GET', '/key/list', { auth: adminViewer.session });
      expect(all.body.total_count).toBeGreaterThan(own.body.total_count);
      expect(typeof all.body.keys[0]).toBe('string');
    });

    it('pages, filters and sorts the list', async () => {
      const marker = `paged-${Date.now()}`;
      for (const budget of [3, 1, 2]) {
        await generate(bob, { key_alias: marker, max_budget: budget });
      }

      const first = await call(app, 'GET', '/key/list', {
        auth: bob.session,
        query: {
          key_alias: marker,
          size: 2,
          sort_by: 'max_budget',
          sort_order: 'asc',
          return_full_object: true,
        },
      });
      expect(first.body).toMatchObject({ total_count: 3, current_page: 1, total_pages: 2 });
      expect(first.body.keys.map((key: { max_budget: number }) => key.max_budget)).toEqual([1, 2]);

      const second = await call(app, 'GET', '/key/list', {
        auth: bob.session,
        query: { key_alias: marker, size: 2, page: 2, sort_by: 'max_budget', sort_order: 'asc' },
      });
      expect(second.body.keys).toHaveLength(1);

      const byHash = await call(app, 'GET', '/key/list', {
        auth: MASTER,
        query: { key_hash: second.body.keys[0] },
      });
      expect(byHash.body.keys).toEqual([second.body.keys[0]]);

      expectError(
        await call(app, 'GET', '/key/list', { auth: bob.session, query: { sort_by: 'token' } }),
        400,
        'sort_by',
      );
      expectError(
        await call(app, 'GET', '/key/list', { auth: bob.session, query: { size: 500 } }),
        400,
        'size',
      );
    });

    it('walks the list by cursor in exactly the order of its pages, NULLs included', async () => {
      const carol = await onboard(app, 'internal_user');
      const budgets = [null, 2, 2, null, 5, 1, null];
      const aliases = ['b', null, 'a', 'b', null, 'c', 'a'];
      for (const [i, budget] of budgets.entries()) {
        await generate(carol, { max_budget: budget, key_alias: aliases[i] });
      }

      for (const sort_by of ['created_at', 'updated_at', 'spend', 'max_budget', 'key_alias']) {
        for (const sort_order of ['asc', 'desc']) {
          const order = { sort_by, sort_order };
          const whole = await call(app, 'GET', '/key/list', {
            auth: carol.session,
            query: { ...order, size: 100 },
          });
          const walked: string[] = [];
          let after: string | null = null;
          do {
            const page: Reply = await call(app, 'GET', '/key/list', {
              auth: carol.session,
              query: { ...order, size: 2, ...(after ? { after } : {}) },
            });
            expect(page.status).toBe(200);
            walked.push(...page.body.keys);
            after = page.body.next_cursor;
          } while (after);

          expect({ ...order, walked }).toEqual({ ...order, walked: whole.body.keys });
          // Onboarding gave carol a key of her own before these.
          expect(walked).toHaveLength(budgets.length + 1);
        }
      }
    });

    it('refuses a cursor it did not give out, or one of another order', async () => {
      const list = (query: Record<string, string | number>) =>
        call(app, 'GET', '/key/list', { auth: MASTER, query });
      const first = await list({ size: 1 });
      expect(first.body.next_cursor).toEqual(expect.any(String));

      expectError(await list({ after: 'not-a-cursor' }), 400, 'after');
      expectError(await list({ after: first.body.next_cursor, sort_by: 'spend' }), 400, 'after');
      const forged = Buffer.from(JSON.stringify(['created_at', 'DESC', "x' OR 1=1", 'id']));
      expectError(await list({ after: forged.toString('base64url') }), 400, 'after');
    });

    it('counts every key in the unfiltered total', async () => {
      const before = await call(app, 'GET', '/key/list', { auth: MASTER });
      await generate(alice);
      const after = await call(app, 'GET', '/key/list', { auth: MASTER });

      expect(after.body.total_count).toBe(before.body.total_count + 1);
      const rows = await app.sql<{ n: number }>('SELECT count(*)::int AS n FROM keys');
      expect(rows[0].n).toBe(after.body.total_count);
    });
  });

  describe('changing', () => {
    it('lets owners and proxy_admin update, and nobody else', async () => {
      const key = (await generate(alice)).body;

      const own = await call(app, 'POST', '/key/update', {
        auth: alice.cookie,
        body: { key: key.key, key_alias: 'renamed', max_budget: 9 },
      });
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({
        key_alias: 'renamed',
        max_budget: 9,
        updated_by: alice.userId,
      });

      for (const who of [bob, viewer, adminViewer]) {
        expectError(
          await call(app, 'POST', '/key/update', {
            auth: who.session,
            body: { key: key.token, key_alias: 'stolen' },
          }),
          403,
        );
      }

      const byAdmin = await call(app, 'POST', '/key/update', {
        auth: admin.session,
        body: { key: key.token, user_id: bob.userId },
      });
      expect(byAdmin.body.user_id).toBe(bob.userId);
    });

    it('refuses an owner handing a key away, blocking it, or setting its spend', async () => {
      const key = (await generate(alice)).body;
      const attempts = [
        [{ user_id: bob.userId }, 403],
        [{ blocked: true }, 403],
        [{ spend: 0 }, 400],
      ] as const;

      for (const [change, status] of attempts) {
        const reply = await call(app, 'POST', '/key/update', {
          auth: alice.session,
          body: { key: key.key, ...change },
        });
        expectError(reply, status);
      }

      const info = await call(app, 'GET', '/key/info', { auth: MASTER, query: { key: key.token } });
      expect(info.body.info).toMatchObject({ user_id: alice.userId, blocked: false, spend: 0 });
    });

    it('lets only proxy_admin block and unblock, and refuses a blocked key', async () => {
      const key = (await generate(alice)).body;

      expectError(
        await call(app, 'POST', '/key/block', { auth: alice.session, body: { key: key.key } }),
        403,
      );
      expectError(
        await call(app, 'POST', '/key/block', {
          auth: adminViewer.session,
          body: { key: key.key },
        }),
        403,
      );

      const blocked = await call(app, 'POST', '/key/block', {
        auth: admin.session,
        body: { key: key.key },
      });
      expect(blocked.body.blocked).toBe(true);

      const refused = await call(app, 'GET', '/key/info', { auth: { bearer: key.key } });
      expect(expectError(refused, 401).message).toBe('Key is blocked');

      await call(app, 'POST', '/key/unblock', { auth: MASTER, body: { key: key.token } });
      expect((await call(app, 'GET', '/key/info', { auth: { bearer: key.key } })).status).toBe(200);
    });

    it('refuses an expired key with expired_key', async () => {
      const key = (await generate(alice, { duration: '1s' })).body;
      await new Promise((done) => setTimeout(done, 1_200));

      const reply = await call(app, 'GET', '/key/info', { auth: { bearer: key.key } });
      expect(expectError(reply, 401).type).toBe('expired_key');
    });
  });

  describe('regenerating', () => {
    it('issues a new secret for the same key and stops the old one at once', async () => {
      const key = (await generate(alice, { key_alias: 'rotating', max_budget: 3 })).body;

      const reply = await call(app, 'POST', '/key/regenerate', {
        auth: alice.session,
        body: { key: key.key },
      });
      expect(reply.status).toBe(200);
      expect(reply.body.key).not.toBe(key.key);
      expect(reply.body).toMatchObject({ key_alias: 'rotating', max_budget: 3 });
      expect(reply.body.created_at).toBe(key.created_at);

      expectError(await call(app, 'GET', '/key/info', { auth: { bearer: key.key } }), 401);
      expect(
        (await call(app, 'GET', '/key/info', { auth: { bearer: reply.body.key } })).status,
      ).toBe(200);

      const rows = await app.sql<{ n: number }>(
        'SELECT count(*)::int AS n FROM keys WHERE key_alias = $1 AND user_id = $2',
        ['rotating', alice.userId],
      );
      expect(rows[0].n).toBe(1);
    });

    it('lets the old secret work during a grace period', async () => {
      const key = (await generate(alice)).body;

      const reply = await call(app, 'POST', `/key/${key.key}/regenerate`, {
        auth: alice.session,
        body: { grace_period: '2s' },
      });
      expect(reply.status).toBe(200);

      expect((await call(app, 'GET', '/key/info', { auth: { bearer: key.key } })).status).toBe(200);
      expect(
        (await call(app, 'GET', '/key/info', { auth: { bearer: reply.body.key } })).status,
      ).toBe(200);

      await new Promise((done) => setTimeout(done, 2_500));
      expectError(await call(app, 'GET', '/key/info', { auth: { bearer: key.key } }), 401);
      expect(
        (await call(app, 'GET', '/key/info', { auth: { bearer: reply.body.key } })).status,
      ).toBe(200);
    });

    it("refuses to regenerate another user's key", async () => {
      const key = (await generate(bob)).body;

      expectError(
        await call(app, 'POST', '/key/regenerate', {
          auth: alice.session,
          body: { key: key.token },
        }),
        403,
      );
      expect((await call(app, 'GET', '/key/info', { auth: { bearer: key.key } })).status).toBe(200);
    });
  });

  describe('deleting', () => {
    it('deletes own keys, and refuses the whole request when one is not owned', async () => {
      const mine = (await generate(alice)).body;
      const theirs = (await generate(bob)).body;

      const mixed = await call(app, 'POST', '/key/delete', {
        auth: alice.session,
        body: { keys: [mine.key, theirs.token] },
      });
      expectError(mixed, 403);
      expect((await call(app, 'GET', '/key/info', { auth: { bearer: mine.key } })).status).toBe(
        200,
      );

      const own = await call(app, 'POST', '/key/delete', {
        auth: alice.session,
        body: { keys: [mine.key] },
      });
      expect(own.body).toEqual({ deleted_keys: [mine.token] });
      expectError(await call(app, 'GET', '/key/info', { auth: { bearer: mine.key } }), 401);
    });

    it("deletes by alias within the caller's own keys", async () => {
      const alias = `shared-alias-${Date.now()}`;
      const mine = (await generate(alice, { key_alias: alias })).body;
      const theirs = (await generate(bob, { key_alias: alias })).body;

      const reply = await call(app, 'POST', '/key/delete', {
        auth: alice.session,
        body: { key_aliases: [alias] },
      });
      expect(reply.body.deleted_keys).toEqual([mine.token]);
      expect((await call(app, 'GET', '/key/info', { auth: { bearer: theirs.key } })).status).toBe(
        200,
      );
    });

    it('deletes no key when one of the aliases matches nothing', async () => {
      const alias = `kept-alias-${Date.now()}`;
      const mine = (await generate(alice, { key_alias: alias })).body;

      const reply = await call(app, 'POST', '/key/delete', {
        auth: alice.session,
        body: { key_aliases: [alias, `${alias}-missing`] },
      });
      expectError(reply, 404, 'key_aliases');
      expect((await call(app, 'GET', '/key/info', { auth: { bearer: mine.key } })).status).toBe(
        200,
      );
    });

    it('answers 404 when nothing matches and refuses viewers', async () => {
      expectError(
        await call(app, 'POST', '/key/delete', {
          auth: alice.session,
          body: { keys: ['sk-nope-nope-nope'] },
        }),
        404,
      );
      const key = (await generate(alice)).body;
      for (const who of [viewer, adminViewer]) {
        expectError(
          await call(app, 'POST', '/key/delete', {
            auth: who.session,
            body: { keys: [key.token] },
          }),
          403,
        );
      }
    });

    it("lets proxy_admin delete anyone's key", async () => {
      const key = (await generate(bob)).body;
      const reply = await call(app, 'POST', '/key/delete', {
        auth: admin.session,
        body: { keys: [key.token] },
      });

      expect(reply.body.deleted_keys).toEqual([key.token]);
    });
  });

  it('never writes a key secret to the log', async () => {
    const key = (await generate(alice)).body;
    await call(app, 'GET', '/key/info', { auth: alice.session, query: { key: key.key } });
    await call(app, 'GET', '/key/info', { auth: { bearer: key.key } });
    await call(app, 'POST', `/key/${key.key}/regenerate`, { auth: alice.session, body: {} });

    expect(app.logs.join('')).not.toContain(key.key);
    expect(app.logs.join('')).not.toContain(alice.sessionToken);
  });
});
