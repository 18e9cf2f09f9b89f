import { call, cookieOf, expectError, MASTER, uniqueEmail } from './support/http';
import { StartedApp } from './support/started-app';

const PASSWORD = 'a quiet violet river at dawn';

describe('the self-serve seed flow', () => {
  let app: StartedApp;

  beforeAll(async () => {
    app = await StartedApp.start();
  });

  afterAll(() => app.close());

  async function invite(role = 'internal_user') {
    const email = uniqueEmail();
    const user = await call(app, 'POST', '/user/new', {
      auth: MASTER,
      body: { user_email: email, user_role: role },
    });
    const invitation = await call(app, 'POST', '/invitation/new', {
      auth: MASTER,
      body: { user_id: user.body.user_id },
    });

    return { email, userId: user.body.user_id as string, invitation: invitation.body };
  }

  async function onboardingToken(invitationId: string): Promise<string> {
    const reply = await call(app, 'GET', '/onboarding/get_token', {
      query: { invite_link: invitationId },
    });
    expect(reply.status).toBe(200);

    return reply.body.token;
  }

  function claim(invitationId: string, userId: string, token: string, password = PASSWORD) {
    return call(app, 'POST', '/onboarding/claim_token', {
      auth: { bearer: token },
      body: { invitation_link: invitationId, user_id: userId, password },
    });
  }

  it('goes from a new user to a signed-in session and back out', async () => {
    // An admin adds a user and creates an invitation valid for exactly seven days.
    const { email, userId, invitation } = await invite();
    const created = Date.parse(invitation.created_at);
    expect(Date.parse(invitation.expires_at) - created).toBe(7 * 24 * 3600 * 1000);
    expect(invitation).toMatchObject({ user_id: userId, is_accepted: false, accepted_at: null });

    // The user opens the link: the page gets a short-lived token and the email.
    const opened = await call(app, 'GET', '/onboarding/get_token', {
      query: { invite_link: invitation.id },
    });
    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({ user_email: email, user_id: userId });
    expect(opened.body.login_url).toBe(`${app.baseUrl}/ui?login=success`);

    // Opening the link changes nothing.
    const unchanged = await call(app, 'GET', '/invitation/info', {
      auth: MASTER,
      query: { invitation_id: invitation.id },
    });
    expect(unchanged.body.is_accepted).toBe(false);

    // The user sets a password: the invitation is accepted and a session opens.
    const claimed = await claim(invitation.id, userId, opened.body.token);
    expect(claimed.status).toBe(200);
    expect(claimed.body.user).toMatchObject({ user_id: userId, user_email: email });
    expect(claimed.body.user).not.toHaveProperty('password_hash');
    expect(claimed.body.login_url).toBe(`${app.baseUrl}/ui?login=success`);
    expect(cookieOf(claimed, 'gatehouse_session')).toBe(claimed.body.token);

    const accepted = await call(app, 'GET', '/invitation/info', {
      auth: MASTER,
      query: { invitation_id: invitation.id },
    });
    expect(accepted.body.is_accepted).toBe(true);
    expect(accepted.body.accepted_at).not.toBeNull();

    // Signing in with the form: 303 to the console with an HttpOnly, SameSite cookie.
    const form = await call(app, 'POST', '/login', {
      form: { username: email.toUpperCase(), password: PASSWORD },
    });
    expect(form.status).toBe(303);
    expect(form.headers.get('location')).toBe(`${app.baseUrl}/ui?login=success`);
    const setCookie = form.headers.getSetCookie().find((c) => c.startsWith('gatehouse_session='));
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    const formSession = cookieOf(form, 'gatehouse_session') as string;
    expect(formSession.length).toBeGreaterThanOrEqual(22);

    // Signing in with JSON gives a token that works as a Bearer credential.
    const json = await call(app, 'POST', '/v2/login', {
      body: { username: email, password: PASSWORD },
    });
    expect(json.status).toBe(200);
    expect(json.body.redirect_url).toBe(`${app.baseUrl}/ui?login=success`);
    const me = await call(app, 'GET', '/user/info', { auth: { bearer: json.body.token } });
    expect(me.status).toBe(200);
    expect(me.body.user_id).toBe(userId);

    // The cookie works too, and logging out ends that session server-side.
    const byCookie = await call(app, 'GET', '/user/info', { auth: { cookie: formSession } });
    expect(byCookie.status).toBe(200);
    const logout = await call(app, 'POST', '/logout', { auth: { cookie: formSession } });
    expect(logout.status).toBe(303);
    expect(logout.headers.get('location')).toBe(`${app.baseUrl}/ui/`);
    expect(logout.headers.getSetCookie().join(';')).toMatch(/gatehouse_session=;/);
    expectError(await call(app, 'GET', '/user/info', { auth: { cookie: formSession } }), 401);

    // GET /sso/logout ends the bearer session as well.
    const ssoLogout = await call(app, 'GET', '/sso/logout', { auth: { bearer: json.body.token } });
    expect(ssoLogout.status).toBe(303);
    expectError(await call(app, 'GET', '/user/info', { auth: { bearer: json.body.token } }), 401);
  });

  it('refuses a wrong password and an unknown email with the same answer', async () => {
    const { email, userId, invitation } = await invite();
    await claim(invitation.id, userId, await onboardingToken(invitation.id));

    const wrong = await call(app, 'POST', '/v2/login', {
      body: { username: email, password: 'not the password at all' },
    });
    const unknown = await call(app, 'POST', '/v2/login', {
      body: { username: uniqueEmail('nobody'), password: 'not the password at all' },
    });

    expectError(wrong, 401);
    expectError(unknown, 401);
    expect(wrong.body).toEqual(unknown.body);
  });

  it('lets exactly one of 20 concurrent claims win', async () => {
    const { userId, invitation } = await invite();
    const token = await onboardingToken(invitation.id);

    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        claim(invitation.id, userId, token, `${PASSWORD} number ${index}`),
      ),
    );

    const winners = replies.filter((reply) => reply.status === 200);
    expect(winners).toHaveLength(1);
    for (const loser of replies.filter((reply) => reply.status !== 200)) {
      expectError(loser, 401);
    }

    // The winner's password is the one that works.
    const index = replies.indexOf(winners[0]);
    const user = await call(app, 'GET', '/user/info', { auth: MASTER, query: { user_id: userId } });
    const login = await call(app, 'POST', '/v2/login', {
      body: { username: user.body.user_info.user_email, password: `${PASSWORD} number ${index}` },
    });
    expect(login.status).toBe(200);
  });

  it('refuses a used link, and keeps a link usable after a weak password', async () => {
    const { userId, invitation } = await invite();
    const token = await onboardingToken(invitation.id);

    const weak = await claim(invitation.id, userId, token, 'password1234');
    expect(expectError(weak, 400, 'password').message).toMatch(/common/);
    const short = await claim(invitation.id, userId, token, 'short');
    expect(expectError(short, 400, 'password').message).toMatch(/at least 12/);

    expect((await claim(invitation.id, userId, token)).status).toBe(200);

    expectError(await claim(invitation.id, userId, token), 401);
    expectError(
      await call(app, 'GET', '/onboarding/get_token', { query: { invite_link: invitation.id } }),
      401,
    );
  });

  it('refuses a missing, forged or mismatched onboarding token', async () => {
    const first = await invite();
    const second = await invite();
    const firstToken = await onboardingToken(first.invitation.id);

    const missing = await call(app, 'POST', '/onboarding/claim_token', {
      body: { invitation_link: first.invitation.id, user_id: first.userId, password: PASSWORD },
    });
    expectError(missing, 401);
    expectError(await claim(first.invitation.id, first.userId, `${firstToken}x`), 401);
    // A token for one invitation does not open another.
    expectError(await claim(second.invitation.id, second.userId, firstToken), 401);
    // The user id must be the invitation's.
    expectError(await claim(first.invitation.id, second.userId, firstToken), 401);

    // None of that used the invitation up.
    expect((await claim(first.invitation.id, first.userId, firstToken)).status).toBe(200);
  });

  it('refuses an unknown invitation, whatever the shape of its id', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-an-invitation', '']) {
      const reply = await call(app, 'GET', '/onboarding/get_token', {
        query: { invite_link: id },
      });

      expectError(reply, 401);
    }

    const { userId } = await invite();
    const claimed = await call(app, 'POST', '/onboarding/claim_token', {
      auth: { bearer: 'not-an-onboarding-token' },
      body: { invitation_link: 'not-an-invitation', user_id: userId, password: PASSWORD },
    });
    expectError(claimed, 401);
  });

  it('compares expiry to the instant, not the date', async () => {
    const { userId, invitation } = await invite();
    const token = await onboardingToken(invitation.id);

    // Expired one second ago, on the same calendar day.
    await app.sql(`UPDATE invitations SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      invitation.id,
    ]);

    expectError(
      await call(app, 'GET', '/onboarding/get_token', { query: { invite_link: invitation.id } }),
      401,
    );
    expectError(await claim(invitation.id, userId, token), 401);
    const info = await call(app, 'GET', '/invitation/info', {
      auth: MASTER,
      query: { invitation_id: invitation.id },
    });
    expect(info.body.is_accepted).toBe(false);
  });

  it('lets an admin update and delete invitations', async () => {
    const { userId, invitation } = await invite();
    const second = await call(app, 'POST', '/invitation/new', {
      auth: MASTER,
      body: { user_id: userId },
    });
    expect(second.status).toBe(200);
    expect(second.body.id).not.toBe(invitation.id);

    const updated = await call(app, 'POST', '/invitation/update', {
      auth: MASTER,
      body: { invitation_id: invitation.id, is_accepted: true },
    });
    expect(updated.body).toMatchObject({ id: invitation.id, is_accepted: true });
    expect(updated.body.updated_by).toBe('master_key');

    const deleted = await call(app, 'POST', '/invitation/delete', {
      auth: MASTER,
      body: { invitation_id: second.body.id },
    });
    expect(deleted.body.id).toBe(second.body.id);
    expectError(
      await call(app, 'GET', '/invitation/info', {
        auth: MASTER,
        query: { invitation_id: second.body.id },
      }),
      404,
    );
  });

  it('refuses an invitation for an unknown user, naming user_id', async () => {
    const reply = await call(app, 'POST', '/invitation/new', {
      auth: MASTER,
      body: { user_id: 'no-such-user' },
    });

    expectError(reply, 400, 'user_id');
  });
});
