import { createServer } from 'node:net';
import { call, expectError, MASTER, Member, onboard, uniqueEmail } from './support/http';
import { linkIn, Mailbox } from './support/mailbox';
import { StartedApp } from './support/started-app';

const NEW_PASSWORD = 'a freshly chosen passphrase';

/** Claims a one-time link as the user would from the page it opens. */
async function claimLink(app: StartedApp, id: string, password: string) {
  const token = await call(app, 'GET', '/onboarding/get_token', { query: { invite_link: id } });
  if (token.status !== 200) {
    return token;
  }

  return call(app, 'POST', '/onboarding/claim_token', {
    auth: { bearer: token.body.token },
    body: { invitation_link: id, user_id: token.body.user_id, password },
  });
}

function login(app: StartedApp, email: string, password: string) {
  return call(app, 'POST', '/v2/login', { body: { username: email, password } });
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 20_000;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }

  return value;
}

describe('accounts with email', () => {
  let mailbox: Mailbox;
  let app: StartedApp;

  beforeAll(async () => {
    mailbox = await Mailbox.start();
    app = await StartedApp.start({ env: mailbox.env });
  });

  afterAll(async () => {
    await app.close();
    await mailbox.close();
  });

  it('emails the invitation, and the emailed link onboards the user', async () => {
    const email = uniqueEmail('invited');
    const created = await call(app, 'POST', '/user/new', {
      auth: MASTER,
      body: { user_email: email, user_role: 'internal_user', send_invite_email: true },
    });
    expect(created.status).toBe(200);
    expect(created.body.email_status).toBe('pending');

    // The invitee receives plain text and HTML with the link and its expiry.
    const mail = await mailbox.messageTo(email);
    expect(mail.raw).toMatch(/Subject: Your invitation to Gatehouse/);
    expect(mail.raw).toMatch(/Content-Type: text\/plain/);
    expect(mail.raw).toMatch(/Content-Type: text\/html/);
    expect(mail.text).toMatch(/expires on/);
    const { link, id } = linkIn(mail);
    expect(link).toBe(`${app.baseUrl}/ui/onboarding?id=${created.body.invitation_id}`);

    const sent = await until(
      () => call(app, 'GET', '/invitation/info', { auth: MASTER, query: { invitation_id: id } }),
      (reply) => reply.body.email_status === 'sent',
    );
    expect(sent.body.email_status).toBe('sent');

    // Following the emailed link sets the password; then email and password sign in.
    expect((await claimLink(app, id, NEW_PASSWORD)).status).toBe(200);
    expect((await login(app, email, NEW_PASSWORD)).status).toBe(200);
  });

  it('emails an invitation created for an existing user', async () => {
    const email = uniqueEmail('later');
    const user = await call(app, 'POST', '/user/new', {
      auth: MASTER,
      body: { user_email: email },
    });
    const invitation = await call(app, 'POST', '/invitation/new', {
      auth: MASTER,
      body: { user_id: user.body.user_id, send_invite_email: true },
    });

    expect(invitation.body.email_status).toBe('pending');
    expect(linkIn(await mailbox.messageTo(email)).id).toBe(invitation.body.id);
  });

  it('tells the owner of a new key by email, without its secret', async () => {
    const member = await onboard(app, 'internal_user');
    const before = mailbox.messages.length;

    const key = await call(app, 'POST', '/key/generate', {
      auth: MASTER,
      body: { user_id: member.userId, key_alias: 'ci-runner', send_invite_email: true },
    });
    expect(key.status).toBe(200);
    expect(key.body.email_status).toBe('pending');

    const mail = await mailbox.messageTo(member.email, before);
    expect(mail.raw).toMatch(/Subject: A Gatehouse API key for you/);
    expect(mail.text).toContain(`ci-runner (${key.body.key_name})`);
    expect(mail.raw).not.toContain(key.body.key);
  });

  it('resets a password by a single-use emailed link and ends every session', async () => {
    const member = await onboard(app, 'internal_user');
    const before = mailbox.messages.length;

    const reset = await call(app, 'POST', '/user/password/reset', {
      auth: MASTER,
      body: { user_id: member.userId },
    });
    expect(reset.status).toBe(200);
    expect(reset.body.invitation.purpose).toBe('password_reset');
    // The admin never sees the link when it can be emailed, nor any password.
    expect(reset.body.reset_link).toBeNull();
    const expiresIn = Date.parse(reset.body.invitation.expires_at) - Date.now();
    expect(expiresIn).toBeGreaterThan(23 * 3600_000);
    expect(expiresIn).toBeLessThanOrEqual(24 * 3600_000);

    const mail = await mailbox.messageTo(member.email, before);
    expect(mail.raw).toMatch(/Subject: Reset your Gatehouse password/);
    const { id } = linkIn(mail);

    expect((await claimLink(app, id, NEW_PASSWORD)).status).toBe(200);
    expectError(await call(app, 'GET', '/user/info', { auth: member.session }), 401);
    expectError(await login(app, member.email, member.password), 401);
    expect((await login(app, member.email, NEW_PASSWORD)).status).toBe(200);

    // Single use: the same link is refused now.
    expectError(await claimLink(app, id, `${NEW_PASSWORD} again`), 401);
  });

  it('retires an open reset link when a newer one is issued', async () => {
    const member = await onboard(app, 'internal_user_viewer');
    const first = await call(app, 'POST', '/user/password/reset', {
      auth: MASTER,
      body: { user_id: member.userId },
    });
    await call(app, 'POST', '/user/password/reset', {
      auth: MASTER,
      body: { user_id: member.userId },
    });

    expectError(await claimLink(app, first.body.invitation.id, NEW_PASSWORD), 401);
  });
});

describe('accounts without email', () => {
  let app: StartedApp;

  beforeAll(async () => {
    app = await StartedApp.start();
  });

  afterAll(() => app.close());

  it('says that email is off instead of pretending to send', async () => {
    const created = await call(app, 'POST', '/user/new', {
      auth: MASTER,
      body: { user_email: uniqueEmail(), send_invite_email: true },
    });
    expect(created.body.email_status).toBe('disabled');

    const reset = await call(app, 'POST', '/user/password/reset', {
      auth: MASTER,
      body: { user_id: created.body.user_id },
    });
    expect(reset.body.invitation.email_status).toBe('disabled');
    expect(reset.body.reset_link).toMatch(/\/ui\/onboarding\?id=[0-9a-f-]{36}$/);
  });

  it("lists a user's sessions and ends one or all the others", async () => {
    const member = await onboard(app, 'internal_user');
    const second = await login(app, member.email, member.password);
    const third = await login(app, member.email, member.password);

    const listed = await call(app, 'GET', '/user/sessions', { auth: member.session });
    expect(listed.body).toHaveLength(3);
    expect(listed.body.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    expect(JSON.stringify(listed.body)).not.toContain(member.sessionToken);

    const other = listed.body.find((s: { current: boolean }) => !s.current);
    const ended = await call(app, 'POST', '/user/sessions/end', {
      auth: member.cookie,
      body: { session_id: other.session_id },
    });
    expect(ended.body).toEqual({ sessions_ended: 1 });

    const rest = await call(app, 'POST', '/user/sessions/end_others', { auth: member.session });
    expect(rest.body).toEqual({ sessions_ended: 1 });
    expect((await call(app, 'GET', '/user/info', { auth: member.session })).status).toBe(200);
    for (const token of [second.body.token, third.body.token]) {
      expectError(await call(app, 'GET', '/user/info', { auth: { bearer: token } }), 401);
    }

    // Another user's session cannot be ended this way.
    const stranger = await onboard(app, 'internal_user');
    const theirs = await call(app, 'GET', '/user/sessions', { auth: stranger.session });
    expectError(
      await call(app, 'POST', '/user/sessions/end', {
        auth: member.session,
        body: { session_id: theirs.body[0].session_id },
      }),
      404,
    );
  });

  it("ends a user's sessions when an admin asks, changes their role, or deletes them", async () => {
    const byAdmin = await onboard(app, 'internal_user');
    const ended = await call(app, 'POST', '/user/sessions/end_all', {
      auth: MASTER,
      body: { user_id: byAdmin.userId },
    });
    expect(ended.body.sessions_ended).toBe(1);
    expectError(await call(app, 'GET', '/user/info', { auth: byAdmin.session }), 401);

    const promoted = await onboard(app, 'internal_user_viewer');
    await call(app, 'POST', '/user/update', {
      auth: MASTER,
      body: { user_id: promoted.userId, user_role: 'internal_user' },
    });
    expectError(await call(app, 'GET', '/user/info', { auth: promoted.session }), 401);
    const again = await login(app, promoted.email, promoted.password);
    const me = await call(app, 'GET', '/user/info', { auth: { bearer: again.body.token } });
    expect(me.body.user_info.user_role).toBe('internal_user');

    const renamed = await onboard(app, 'internal_user');
    await call(app, 'POST', '/user/update', {
      auth: MASTER,
      body: { user_id: renamed.userId, user_alias: 'only a new alias' },
    });
    expect((await call(app, 'GET', '/user/info', { auth: renamed.session })).status).toBe(200);
  });

  it('blocks a user: sessions end, sign-in and keys are refused, until unblocked', async () => {
    const member = await onboard(app, 'internal_user');
    const blocked = await call(app, 'POST', '/user/block', {
      auth: MASTER,
      body: { user_id: member.userId },
    });
    expect(blocked.body.blocked).toBe(true);

    expectError(await call(app, 'GET', '/user/info', { auth: member.session }), 401);
    expectError(await call(app, 'GET', '/key/info', { auth: { bearer: member.key } }), 401);
    expect(expectError(await login(app, member.email, member.password), 401).message).toBe(
      'Invalid email or password',
    );

    await call(app, 'POST', '/user/unblock', { auth: MASTER, body: { user_id: member.userId } });
    expect((await login(app, member.email, member.password)).status).toBe(200);
    expect((await call(app, 'GET', '/key/info', { auth: { bearer: member.key } })).status).toBe(
      200,
    );
  });

  it('records every admin change in the audit log, without secrets', async () => {
    const admin = await onboard(app, 'proxy_admin');
    const email = uniqueEmail('audited');
    const user = await call(app, 'POST', '/user/new', {
      auth: admin.session,
      body: { user_email: email, user_role: 'internal_user' },
    });
    const userId = user.body.user_id;
    await call(app, 'POST', '/user/update', {
      auth: admin.session,
      body: { user_id: userId, user_role: 'internal_user_viewer' },
    });
    const invitation = await call(app, 'POST', '/invitation/new', {
      auth: MASTER,
      body: { user_id: userId },
    });
    await call(app, 'POST', '/invitation/delete', {
      auth: MASTER,
      body: { invitation_id: invitation.body.id },
    });
    const key = await call(app, 'POST', '/key/generate', {
      auth: admin.session,
      body: { user_id: userId },
    });
    await call(app, 'POST', '/key/block', { auth: admin.session, body: { key: key.body.token } });
    await call(app, 'POST', '/key/delete', {
      auth: admin.session,
      body: { keys: [key.body.token] },
    });
    await call(app, 'POST', '/user/sessions/end_all', { auth: MASTER, body: { user_id: userId } });
    await call(app, 'POST', '/user/delete', { auth: admin.session, body: { user_ids: [userId] } });

    const viewer = await onboard(app, 'proxy_admin_viewer');
    const byAdmin = await call(app, 'GET', '/audit', {
      auth: viewer.session,
      query: { actor: admin.userId, page_size: 100 },
    });
    const actions = byAdmin.body.events.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'user.created',
        'user.updated',
        'key.created',
        'key.blocked',
        'key.deleted',
        'user.deleted',
      ]),
    );
    const update = byAdmin.body.events.find((e: { action: string }) => e.action === 'user.updated');
    expect(update).toMatchObject({
      actor: admin.userId,
      actor_kind: 'session',
      target_type: 'user',
      target_id: userId,
      before: { user_role: 'internal_user' },
      after: { user_role: 'internal_user_viewer' },
    });

    const byMaster = await call(app, 'GET', '/audit', {
      auth: MASTER,
      query: { actor: 'master_key', target_id: invitation.body.id },
    });
    expect(byMaster.body.events.map((e: { action: string }) => e.action).sort()).toEqual([
      'invitation.created',
      'invitation.deleted',
    ]);
    const ended = await call(app, 'GET', '/audit', {
      auth: MASTER,
      query: { action: 'sessions.ended', target_id: userId },
    });
    // Once for the role change, once at the admin's request.
    expect(
      ended.body.events.map((e: { after: { reason: string } }) => e.after.reason).sort(),
    ).toEqual(['ended by an admin', 'role changed']);

    // Secrets never reach the audit log.
    const everything = await call(app, 'GET', '/audit', {
      auth: MASTER,
      query: { page_size: 100 },
    });
    expect(everything.text).not.toContain(key.body.key);
    expect(everything.text).not.toMatch(/password_hash|argon2/);

    const internal = await onboard(app, 'internal_user');
    expectError(await call(app, 'GET', '/audit', { auth: internal.session }), 403);
  });
});

describe('login throttling', () => {
  let app: StartedApp;
  let member: Member;

  beforeAll(async () => {
    app = await StartedApp.start();
    member = await onboard(app, 'internal_user');
  });

  afterAll(() => app.close());

  it('refuses an email after repeated failures with 429 and a short Retry-After', async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      expectError(await login(app, member.email, 'wrong password guess'), 401);
    }

    const limited = await login(app, member.email, 'wrong password guess');
    expect(expectError(limited, 429).type).toBe('rate_limit_error');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);

    // Even the right password waits: the guesser learns nothing from the answer.
    expectError(await login(app, member.email, member.password), 429);
    // Other accounts are not affected.
    const other = await onboard(app, 'internal_user');
    expect((await login(app, other.email, other.password)).status).toBe(200);
  });

  it('treats an unknown email exactly like a known one', async () => {
    const unknown = uniqueEmail('nobody');
    const answers = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      answers.push((await login(app, unknown, 'wrong password guess')).status);
    }

    expect(answers).toEqual([401, 401, 401, 401, 401, 429]);
  });
});

describe('an SMTP server that is down', () => {
  let app: StartedApp;

  beforeAll(async () => {
    const closedPort = await new Promise<number>((done) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => done(port));
      });
    });
    app = await StartedApp.start({
      env: {
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(closedPort),
        SMTP_SENDER_EMAIL: 'gatehouse@example.com',
        SMTP_TLS: 'false',
      },
    });
  });

  afterAll(() => app.close());

  it('answers the admin at once and shows the failure on the invitation', async () => {
    const created = await call(app, 'POST', '/user/new', {
      auth: MASTER,
      body: { user_email: uniqueEmail(), send_invite_email: true },
    });
    expect(created.status).toBe(200);
    expect(created.body.email_status).toBe('pending');

    const failed = await until(
      () =>
        call(app, 'GET', '/invitation/info', {
          auth: MASTER,
          query: { invitation_id: created.body.invitation_id },
        }),
      (reply) => reply.body.email_status === 'failed',
    );
    expect(failed.body.email_status).toBe('failed');
    expect(failed.body.email_error).toMatch(/\S/);
  });
});
